import { Router } from '@koa/router';
import type { AppState } from '../app-state';

/** /healthz: the process answers. /readyz: and the database is reachable. */
export function healthRouter(deps: { ready: () => Promise<boolean> }): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const ready = await deps.ready();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable' };
  });
  return router;
}
