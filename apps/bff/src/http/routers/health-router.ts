import type { Router } from '@koa/router';
import type { AppState } from '../app-state';

/** /healthz: the process answers. /readyz: and the database is reachable. */
export function healthRoutes(router: Router<AppState>, deps: { ready: () => Promise<boolean> }): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const ready = await deps.ready();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable' };
  });
}
