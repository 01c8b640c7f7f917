/* eslint-disable @typescript-eslint/require-await -- in memory, the async ports answer at once */
import { NotificationRejectedError } from '../../src/domain/ports/payment-gateway';
import type { RefundGateway, RefundQueryResult, RefundSubmission, RefundSubmitResult, VerifiedRefundNotification } from '../../src/domain/ports/refund-gateway';

type RemoteStatus = Extract<RefundQueryResult, { kind: 'found' }>['status'];

/**
 * WeChat Pay's refund API as the RefundGateway port sees it, in memory: one refund per
 * out_refund_no however often it is sent (as WeChat Pay promises), answers queued per call, and
 * notifications as JSON of the verified fields. The wire format is proven against the emulator.
 */
export class InMemoryRefundGateway implements RefundGateway {
  /** What WeChat Pay holds, by out_refund_no. */
  readonly refunds = new Map<string, { submission: RefundSubmission; refundId: string; status: RemoteStatus }>();
  readonly submissions: RefundSubmission[] = [];
  readonly queries: string[] = [];
  private readonly submitAnswers: (RefundSubmitResult | 'throw')[] = [];
  private sequence = 0;

  /** The next submits answer this way, in order (otherwise: accepted). */
  answerNext(...answers: (RefundSubmitResult | 'throw')[]): void {
    this.submitAnswers.push(...answers);
  }

  /** WeChat Pay settles (or closes, or CHANGEs) a refund it holds. */
  settle(outRefundNo: string, status: RemoteStatus): void {
    const refund = this.refunds.get(outRefundNo);
    if (!refund) throw new Error(`no refund ${outRefundNo} at WeChat Pay`);
    refund.status = status;
  }

  async submitRefund(refund: RefundSubmission): Promise<RefundSubmitResult> {
    this.submissions.push(refund);
    const scripted = this.submitAnswers.shift();
    if (scripted === 'throw') throw new Error('socket hang up');
    if (scripted && scripted.kind !== 'accepted') return scripted;
    const held = this.refunds.get(refund.outRefundNo) ?? { submission: refund, refundId: `5030${String(++this.sequence).padStart(24, '0')}`, status: 'processing' as const };
    this.refunds.set(refund.outRefundNo, held);
    return { kind: 'accepted', refundId: held.refundId };
  }

  async queryRefund(refund: { outRefundNo: string }): Promise<RefundQueryResult> {
    this.queries.push(refund.outRefundNo);
    const held = this.refunds.get(refund.outRefundNo);
    if (!held) return { kind: 'not_found' };
    return { kind: 'found', status: held.status, refundId: held.refundId, refundFen: held.submission.refundFen, receivedBy: held.status === 'succeeded' ? '支付用户零钱' : null, succeededAt: null };
  }

  verifyRefundNotification(rawBody: string): VerifiedRefundNotification {
    try {
      return JSON.parse(rawBody) as VerifiedRefundNotification;
    } catch {
      throw new NotificationRejectedError('malformed', 'DECRYPT_FAILED');
    }
  }
}
