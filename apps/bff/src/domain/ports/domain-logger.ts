/** The logging the domain needs; pino loggers satisfy it. Never pass secrets or PII. */
export interface DomainLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
