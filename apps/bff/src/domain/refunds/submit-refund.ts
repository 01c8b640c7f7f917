import type { CheckoutDeps } from '../checkout-deps';
import type { RefundRecord } from './refund-record';
import { refundRetryDelayMs } from './refund-schedule';

export type RefundDeps = Pick<CheckoutDeps, 'orders' | 'refunds' | 'refundGateway' | 'clock' | 'ids' | 'logger' | 'policy'>;

/**
 * Sends a stored refund to WeChat Pay, exactly as stored (its out_refund_no makes a resend refund
 * at most once), and records what the answer says. Never throws for WeChat Pay's answers: a
 * refund that was not settled stays `requested` with its next attempt scheduled.
 */
export async function submitRefund(deps: RefundDeps, refund: RefundRecord): Promise<RefundRecord> {
  const now = deps.clock.now();
  const result = await deps.refundGateway.submitRefund({
    outTradeNo: refund.outTradeNo,
    transactionId: refund.transactionId,
    outRefundNo: refund.outRefundNo,
    totalFen: refund.totalFen,
    refundFen: refund.refundFen,
    reason: refund.reason,
  });
  const log = { refundId: refund.id, orderId: refund.orderId, outRefundNo: refund.outRefundNo };
  switch (result.kind) {
    case 'accepted': {
      const applied = await deps.refunds.applyOutcome(
        refund.id,
        { status: 'processing', refundId: result.refundId, receivedBy: null, succeededAt: null },
        { at: now, nextQueryAt: new Date(now.getTime() + deps.policy.refunds.queryAfterSeconds * 1000) },
      );
      deps.logger.info({ ...log, refundFen: refund.refundFen }, 'refund accepted by WeChat Pay');
      return applied.refund;
    }
    case 'refused':
      await deps.refunds.refuse(refund.id, result.code, now);
      deps.logger.error({ ...log, code: result.code }, 'refund refused by WeChat Pay: nothing was refunded; an operator decides');
      break;
    case 'retry':
    case 'unknown': {
      const backoff = new Date(now.getTime() + refundRetryDelayMs(refund.attempts + 1, deps.policy.refunds.queryAfterSeconds));
      const nextAttemptAt = result.kind === 'retry' && result.notBefore && result.notBefore > backoff ? result.notBefore : backoff;
      await deps.refunds.recordAttempt(refund.id, { error: result.code, nextAttemptAt, at: now });
      deps.logger.warn({ ...log, code: result.code, outcome: result.kind, nextAttemptAt: nextAttemptAt.toISOString() }, 'refund not settled; it is resent with the same out_refund_no');
      break;
    }
  }
  return (await deps.refunds.findByOutRefundNo(refund.outRefundNo)) ?? refund;
}
