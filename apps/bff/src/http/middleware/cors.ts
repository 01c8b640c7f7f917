import type { Middleware } from 'koa';
import type { AppState } from '../app-state';

/** CORS for the configured origins only (the H5 dev build); others get no CORS headers at all. */
export function cors(options: { origins: readonly string[] }): Middleware<AppState> {
  const allowed = new Set(options.origins);
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    ctx.vary('Origin');
    const permitted = origin !== '' && allowed.has(origin);
    if (permitted) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
    }
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      if (permitted) {
        ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, X-Request-Id');
        ctx.set('Access-Control-Max-Age', '600');
      }
      ctx.status = 204;
      return;
    }
    await next();
  };
}
