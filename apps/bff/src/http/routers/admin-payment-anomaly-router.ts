import type { Router } from '@koa/router';
import { adminRoutes } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { requireAdmin } from '../middleware/admin-token';
import { mountRoute } from '../mount-route';
import type { AppState } from '../app-state';
import { decodeOrderCursor, encodeOrderCursor } from '../order-cursor';

/**
 * GET /admin/payment-anomalies: money WeChat Pay took that the shop did not expect (a second
 * transaction for a paid order, a payment after close), newest first, for an operator to refund
 * or resolve. Bearer ADMIN_TOKEN; not under /api.
 */
export function adminPaymentAnomalyRoutes(router: Router<AppState>, deps: { checkout: Pick<CheckoutDeps, 'paymentAnomalies'>; token: string | null }): void {
  mountRoute(router, adminRoutes.listPaymentAnomalies, requireAdmin(deps.token), async (ctx) => {
    const query = adminRoutes.listPaymentAnomalies.request.parse(ctx.query);
    const before = query.cursor === undefined ? undefined : decodeOrderCursor(query.cursor);
    const rows = await deps.checkout.paymentAnomalies.list({
      limit: query.limit + 1,
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(before === undefined ? {} : { before: { detectedAt: before.createdAt, id: before.id } }),
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    ctx.body = {
      anomalies: page.map((a) => ({ ...a, detectedAt: a.detectedAt.toISOString() })),
      nextCursor: rows.length > query.limit && last ? encodeOrderCursor({ createdAt: last.detectedAt, id: last.id }) : null,
    };
  });
}
