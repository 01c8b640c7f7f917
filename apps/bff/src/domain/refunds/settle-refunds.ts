import { refundRetryDelayMs } from './refund-schedule';
import { submitRefund, type RefundDeps } from './submit-refund';

export interface RefundSweepReport {
  resent: number;
  queried: number;
  settled: number;
  failed: number;
}

/**
 * The sweeper's refund step. A `requested` refund (never sent, a crash between the row and the
 * call or before the answer, a retryable refusal) is sent again with its stored out_refund_no:
 * WeChat Pay refunds one number at most once, so a resend can only complete it. A `processing`
 * refund whose notification did not come is confirmed with refundquery.
 */
export async function settleRefunds(deps: RefundDeps, options: { batchSize: number }): Promise<RefundSweepReport> {
  const report: RefundSweepReport = { resent: 0, queried: 0, settled: 0, failed: 0 };
  for (const refund of await deps.refunds.listDue(deps.clock.now(), options.batchSize)) {
    try {
      if (refund.status === 'requested') {
        report.resent += 1;
        const after = await submitRefund(deps, refund);
        if (after.status !== 'requested') report.settled += 1;
        continue;
      }
      report.queried += 1;
      const now = deps.clock.now();
      const found = await deps.refundGateway.queryRefund(refund);
      if (found.kind === 'not_found') {
        // Accepted, yet unknown to refundquery: keep asking, loudly.
        deps.logger.error({ refundId: refund.id, outRefundNo: refund.outRefundNo }, 'refundquery does not know an accepted refund');
        await deps.refunds.scheduleQuery(refund.id, now, new Date(now.getTime() + refundRetryDelayMs(refund.attempts + 1, deps.policy.refunds.queryAfterSeconds)));
        continue;
      }
      if (found.status === 'processing') {
        await deps.refunds.scheduleQuery(refund.id, now, new Date(now.getTime() + refundRetryDelayMs(refund.attempts + 1, deps.policy.refunds.queryAfterSeconds)));
        continue;
      }
      const applied = await deps.refunds.applyOutcome(refund.id, found, { at: now, nextQueryAt: null });
      if (applied.kind === 'applied') report.settled += 1;
    } catch (error) {
      // WeChat Pay unreachable: the refund stays due and the next sweep tries again.
      report.failed += 1;
      deps.logger.warn({ refundId: refund.id, err: error instanceof Error ? error.message : 'unknown' }, 'refund sweep step failed');
    }
  }
  return report;
}
