import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../app-state';
import { toErrorResponse } from '../to-error-response';

/**
 * A child logger with the request id for every line of this request, and one completion line.
 * Only method, path (no query string), status and duration: never headers or bodies.
 */
export function requestLogger(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const log = logger.child({ reqId: ctx.state.requestId });
    ctx.state.log = log;
    const started = performance.now();
    // A thrown error is turned into its status by the (outer) error handler only after this line is written.
    let status: number | undefined;
    try {
      await next();
    } catch (error) {
      status = toErrorResponse(error).status;
      throw error;
    } finally {
      const fields = { method: ctx.method, path: ctx.path, status: status ?? ctx.status, durationMs: Math.round(performance.now() - started) };
      if (fields.status >= 500) log.error(fields, 'request failed');
      else log.info(fields, 'request completed');
    }
  };
}
