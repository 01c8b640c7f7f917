import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../app-state';

/**
 * A child logger with the request id for every line of this request, and one completion line.
 * Only method, path (no query string), status and duration: never headers or bodies.
 */
export function requestLogger(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const log = logger.child({ reqId: ctx.state.requestId });
    ctx.state.log = log;
    const started = performance.now();
    try {
      await next();
    } finally {
      const fields = { method: ctx.method, path: ctx.path, status: ctx.status, durationMs: Math.round(performance.now() - started) };
      if (ctx.status >= 500) log.error(fields, 'request failed');
      else log.info(fields, 'request completed');
    }
  };
}
