import type { Router } from '@koa/router';
import { adminRoutes, type AdminRefund } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { DomainError } from '../../domain/domain-error';
import type { RefundRecord } from '../../domain/refunds/refund-record';
import { listAttention } from '../../domain/refunds/list-attention';
import { requestRefund } from '../../domain/refunds/request-refund';
import type { AppState } from '../app-state';
import { requireAdmin } from '../middleware/admin-token';
import { jsonBody } from '../middleware/json-body';
import { mountRoute } from '../mount-route';
import { idempotencyKey } from '../idempotency-key';

/**
 * Refunds by an operator and what needs one's attention. Bearer ADMIN_TOKEN, checked before the
 * body is read. A refund needs an Idempotency-Key: an operator's retry must never refund twice.
 */
export function adminRefundRoutes(router: Router<AppState>, deps: { checkout: CheckoutDeps; token: string | null; jsonLimitBytes: number }): void {
  const admin = requireAdmin(deps.token);

  mountRoute(router, adminRoutes.refundOrder, admin, jsonBody({ limitBytes: deps.jsonLimitBytes }), async (ctx) => {
    const key = idempotencyKey(ctx.get('idempotency-key'));
    if (key === null) throw new DomainError('VALIDATION_FAILED', 'a refund needs an Idempotency-Key header', [{ path: 'Idempotency-Key', message: 'required' }]);
    const body = adminRoutes.refundOrder.request.parse(ctx.state.body);
    const { refund, created } = await requestRefund(
      { ...deps.checkout, logger: ctx.state.log },
      { orderId: ctx.params.id ?? '', amountFen: body.amountFen, reason: body.reason ?? null, idempotencyKey: key },
    );
    ctx.status = created ? adminRoutes.refundOrder.status : 200;
    ctx.body = { refund: toAdminRefund(refund) };
  });

  mountRoute(router, adminRoutes.listOrderRefunds, admin, async (ctx) => {
    const order = await deps.checkout.orders.findById(ctx.params.id ?? '');
    if (!order) throw new DomainError('ORDER_NOT_FOUND', 'no such order');
    const refunds = await deps.checkout.refunds.list({ orderId: order.id, limit: 200 });
    ctx.body = { refunds: refunds.map(toAdminRefund) };
  });

  mountRoute(router, adminRoutes.listRefunds, admin, async (ctx) => {
    const query = adminRoutes.listRefunds.request.parse(ctx.query);
    const refunds = await deps.checkout.refunds.list({ limit: query.limit ?? 50, ...(query.status ? { statuses: [query.status] } : {}) });
    ctx.body = { refunds: refunds.map(toAdminRefund) };
  });

  mountRoute(router, adminRoutes.attention, admin, async (ctx) => {
    const attention = await listAttention(deps.checkout, 100);
    ctx.body = {
      refunds: attention.refunds.map(toAdminRefund),
      unsettledRefunds: attention.unsettledRefunds.map(toAdminRefund),
      openAnomalies: attention.openAnomalies.map((a) => ({ id: a.id, orderId: a.orderId, kind: a.kind, transactionId: a.transactionId, amountFen: a.amountFen, detectedAt: a.detectedAt.toISOString() })),
    };
  });
}

function toAdminRefund(refund: RefundRecord): AdminRefund {
  const { updatedAt: _updatedAt, ...fields } = refund;
  return { ...fields, nextAttemptAt: refund.nextAttemptAt?.toISOString() ?? null, succeededAt: refund.succeededAt?.toISOString() ?? null, createdAt: refund.createdAt.toISOString() };
}
