import type { Logger } from 'pino';
import { createLogger } from '../src/create-logger';

/**
 * The BFF's own logger (same redaction) whose JSON lines are kept in memory, so tests can assert
 * what was logged, and that nothing secret was.
 */
export function captureLogger(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, text: () => lines.join('') };
}
