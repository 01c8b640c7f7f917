import type { Middleware } from 'koa';
import { DomainError } from '../../domain/domain-error';
import type { AppState } from '../app-state';
import { readRawBody } from '../read-raw-body';

/** application/json bodies up to `limitBytes` → ctx.state.body. Clear codes for every failure. */
export function jsonBody(options: { limitBytes: number }): Middleware<AppState> {
  return async (ctx, next) => {
    if (!ctx.is('application/json')) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    }
    const raw = await readRawBody(ctx.req, options.limitBytes);
    try {
      ctx.state.body = JSON.parse(raw) as unknown;
    } catch {
      throw new DomainError('MALFORMED_JSON', 'the request body is not valid JSON');
    }
    await next();
  };
}
