import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { DomainLogger } from '../../domain/ports/domain-logger';
import type { AppState } from '../app-state';
import { toErrorResponse } from '../to-error-response';

/**
 * Mounted first: every error becomes a contract error body; unknown errors are logged (message
 * and stack only, no payloads) and answered with a generic 500. Unmatched routes get NOT_FOUND.
 */
export function errorHandler(baseLogger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'NOT_FOUND', message: `no route for ${ctx.method} ${ctx.path}` } };
      }
    } catch (error) {
      const response = toErrorResponse(error);
      ctx.status = response.status;
      ctx.body = response.body;
      const log = (ctx.state.log as DomainLogger | undefined) ?? baseLogger;
      if (!response.expected) {
        const code = (error as { code?: unknown } | null)?.code;
        // code: e.g. SQLITE_FULL, the one fact an operator needs first.
        const err = error instanceof Error ? { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}), stack: error.stack } : { value: typeof error };
        log.error({ err }, 'unhandled error');
      }
    }
  };
}
