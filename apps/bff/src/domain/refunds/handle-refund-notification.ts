import type { CheckoutDeps } from '../checkout-deps';
import { NotificationRejectedError } from '../ports/payment-gateway';

export type RefundNotificationDeps = Pick<CheckoutDeps, 'refunds' | 'refundGateway' | 'clock' | 'logger' | 'policy'>;

export type RefundNotificationOutcome =
  | { kind: 'applied' | 'repeat' | 'recorded_external'; outRefundNo: string }
  | { kind: 'rejected'; reason: string };

/**
 * A refund-result notification: it carries no signature, so it is trusted only because it
 * decrypted with the merchant's key and names our merchant, a payment we hold and amounts we
 * stored. Applied at most once (a conditional update); a refund we never asked for (started in
 * the merchant portal) is recorded against its order, since the money did leave.
 */
export async function handleRefundNotification(deps: RefundNotificationDeps, rawBody: string): Promise<RefundNotificationOutcome> {
  let n;
  try {
    n = deps.refundGateway.verifyRefundNotification(rawBody);
  } catch (error) {
    if (error instanceof NotificationRejectedError) return { kind: 'rejected', reason: `${error.reason}:${error.detailCode}` };
    throw error;
  }
  if (n.appId !== deps.policy.appId || n.mchId !== deps.policy.mchId) return { kind: 'rejected', reason: 'merchant_mismatch' };
  const now = deps.clock.now();
  const outcome = { status: n.status, refundId: n.refundId, receivedBy: n.receivedBy, succeededAt: n.succeededAt };
  const refund = await deps.refunds.findByOutRefundNo(n.outRefundNo);
  if (!refund) {
    const recorded = await deps.refunds.recordExternal({
      outTradeNo: n.outTradeNo,
      transactionId: n.transactionId,
      outRefundNo: n.outRefundNo,
      refundId: n.refundId,
      totalFen: n.totalFen,
      refundFen: n.refundFen,
      outcome,
      at: now,
    });
    if (recorded.kind === 'unknown_order') return { kind: 'rejected', reason: 'unknown_order' };
    if (recorded.kind === 'recorded') deps.logger.warn({ outRefundNo: n.outRefundNo, source: n.requestSource, refundFen: n.refundFen }, 'refund started outside this shop recorded');
    return { kind: recorded.kind === 'recorded' ? 'recorded_external' : 'repeat', outRefundNo: n.outRefundNo };
  }
  if (n.outTradeNo !== refund.outTradeNo || n.transactionId !== refund.transactionId || n.refundFen !== refund.refundFen || n.totalFen !== refund.totalFen) {
    deps.logger.error({ refundId: refund.id, outRefundNo: refund.outRefundNo }, 'refund notification does not match the stored refund');
    return { kind: 'rejected', reason: 'amount_mismatch' };
  }
  const applied = await deps.refunds.applyOutcome(refund.id, outcome, { at: now, nextQueryAt: null });
  return { kind: applied.kind === 'applied' ? 'applied' : 'repeat', outRefundNo: n.outRefundNo };
}
