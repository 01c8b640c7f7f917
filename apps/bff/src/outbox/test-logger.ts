import pino, { type Logger } from 'pino';

/** A real pino logger whose JSON lines are kept in memory, so tests can assert what was logged. */
export function captureLogger(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}
