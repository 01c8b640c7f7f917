import { DomainError } from '../domain-error';
import type { RefundRecord } from './refund-record';
import { submitRefund, type RefundDeps } from './submit-refund';

export interface RefundRequest {
  orderId: string;
  amountFen: number;
  /** refund_desc: shown to the buyer. */
  reason: string | null;
  /** The operator's Idempotency-Key: a repeat answers the same refund, never a second one. */
  idempotencyKey: string | null;
}

/**
 * An operator refunds part or all of what is left of an order's payment. The refund (with its
 * out_refund_no) is stored before WeChat Pay is called, in a transaction that checks the amount
 * against what was paid minus what is refunded or being refunded; then it is sent once. Whatever
 * happens after the row is stored, the sweeper finishes it with the same out_refund_no.
 */
export async function requestRefund(deps: RefundDeps, request: RefundRequest): Promise<{ refund: RefundRecord; created: boolean }> {
  const order = await deps.orders.findById(request.orderId);
  if (!order) throw new DomainError('ORDER_NOT_FOUND', `order ${request.orderId} does not exist`);
  if (order.transactionId === null) throw new DomainError('ORDER_NOT_REFUNDABLE', `order ${order.id} has no payment to refund (status ${order.status})`);
  const now = deps.clock.now();
  const created = await deps.refunds.create({
    id: deps.ids.refundId(),
    orderId: order.id,
    transactionId: order.transactionId,
    outRefundNo: deps.ids.outRefundNo(now),
    totalFen: order.payableFen,
    refundFen: request.amountFen,
    source: 'operator',
    reason: request.reason,
    anomalyId: null,
    idempotencyKey: request.idempotencyKey,
    at: now,
    // Sent right below; the sweeper steps in only if that send never settles it.
    nextAttemptAt: new Date(now.getTime() + deps.policy.refunds.queryAfterSeconds * 1000),
  });
  switch (created.kind) {
    case 'order_not_found':
      throw new DomainError('ORDER_NOT_FOUND', `order ${request.orderId} does not exist`);
    case 'not_refundable':
      throw new DomainError('ORDER_NOT_REFUNDABLE', `order ${order.id} is ${created.status}: only a paid order can be refunded`);
    case 'exceeds_remaining':
      throw new DomainError('REFUND_EXCEEDS_REMAINING', `${request.amountFen} fen asked, ${created.remainingFen} fen left to refund on order ${order.id}`, [
        { path: 'amountFen', message: `at most ${created.remainingFen}` },
      ]);
    case 'idempotency_conflict':
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another refund amount on this order');
    case 'existing':
      return { refund: created.refund, created: false };
    case 'created':
      return { refund: await submitRefund(deps, created.refund), created: true };
  }
}
