import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { AppState } from '../app-state';

const acceptable = /^[A-Za-z0-9._-]{8,64}$/;

/** Uses a well-formed incoming X-Request-Id (from a proxy) or makes one; echoes it back. */
export function requestId(): Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = acceptable.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
