import type { OrderEventHandler } from '../orders/order-events';
import type { Clock } from '../ports/clock';
import type { DomainLogger } from '../ports/domain-logger';
import type { IdGenerator } from '../ports/id-generator';
import type { RefundPolicy } from '../checkout-policy';

/**
 * Money WeChat Pay took that the shop did not expect (a payment on a closed, cancelled or failed
 * order, a second payment of a paid one) is given back in full: the refund row is written in the
 * same transaction that recorded the anomaly, so it cannot be forgotten; the sweeper sends it.
 * With `hold`, the anomaly waits for an operator instead.
 */
export function refundAnomalies(deps: { ids: Pick<IdGenerator, 'refundId' | 'outRefundNo'>; clock: Clock; logger: DomainLogger; policy: RefundPolicy }): OrderEventHandler {
  return async (event, scope) => {
    if (event.type !== 'payment_anomaly' || deps.policy.anomalies !== 'automatic') return;
    const { anomaly, order } = event;
    const at = deps.clock.now();
    const created = await scope.refunds.create({
      id: deps.ids.refundId(),
      orderId: order.id,
      transactionId: anomaly.transactionId,
      outRefundNo: deps.ids.outRefundNo(at),
      totalFen: anomaly.amountFen,
      refundFen: anomaly.amountFen,
      source: 'anomaly',
      reason: deps.policy.anomalyReason,
      anomalyId: anomaly.id,
      idempotencyKey: null,
      at,
      // The sweeper sends it (after this transaction commits).
      nextAttemptAt: at,
    });
    if (created.kind === 'created') deps.logger.warn({ orderId: order.id, anomalyKind: anomaly.kind, refundFen: anomaly.amountFen, outRefundNo: created.refund.outRefundNo }, 'money taken by mistake is refunded automatically');
    else if (created.kind !== 'existing') deps.logger.error({ orderId: order.id, anomalyKind: anomaly.kind, outcome: created.kind }, 'automatic refund of a payment anomaly could not be stored; an operator must act');
  };
}
