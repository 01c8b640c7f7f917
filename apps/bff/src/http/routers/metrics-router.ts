import type { Router } from '@koa/router';
import type { BffMetrics } from '../../metrics/bff-metrics';
import { renderMetrics } from '../../metrics/render-metrics';
import { isAdminAuthorized } from '../middleware/admin-token';
import type { AppState } from '../app-state';

/**
 * GET /metrics: Prometheus text format. With a configured token it needs `Authorization: Bearer
 * <token>` (compared in constant time); without one it is open and HOST should be private.
 */
export function metricsRoutes(router: Router<AppState>, deps: { metrics: BffMetrics; token: string | null }): void {
  router.get('/metrics', async (ctx) => {
    if (deps.token !== null && !isAdminAuthorized(ctx.get('authorization'), deps.token)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = { error: { code: 'ADMIN_UNAUTHENTICATED', message: 'a metrics token is required' } };
      return;
    }
    const { contentType, body } = await renderMetrics(deps.metrics.registry);
    ctx.type = contentType;
    ctx.body = body;
  });
}
