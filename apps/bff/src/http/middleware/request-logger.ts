import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { DomainLogger } from '../../domain/ports/domain-logger';
import type { AppState } from '../app-state';
import { toErrorResponse } from '../to-error-response';

type Level = keyof DomainLogger;

/**
 * Every line of a request carries its request id, and each request ends with one completion line.
 * Only method, path (no query string), status and duration: never headers or bodies.
 * The pino child logger is made only when a line is actually written at the configured level:
 * one per request (with its redaction setup) was a measurable share of the notify path's CPU.
 */
export function requestLogger(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    let child: Logger | undefined;
    const at =
      (level: Level) =>
      (obj: object, msg: string): void => {
        if (!logger.isLevelEnabled(level)) return;
        child ??= logger.child({ reqId: ctx.state.requestId });
        child[level](obj, msg);
      };
    ctx.state.log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    const started = performance.now();
    // A thrown error is turned into its status by the (outer) error handler only after this line is written.
    let status: number | undefined;
    try {
      await next();
    } catch (error) {
      status = toErrorResponse(error).status;
      throw error;
    } finally {
      const final = status ?? ctx.status;
      const fields = { method: ctx.method, path: ctx.path, status: final, durationMs: Math.round(performance.now() - started) };
      if (final >= 500) ctx.state.log.error(fields, 'request failed');
      else ctx.state.log.info(fields, 'request completed');
    }
  };
}
