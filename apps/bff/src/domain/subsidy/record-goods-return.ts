import type { Clock } from '../ports/clock';
import type { UnitOfWork } from '../ports/unit-of-work';
import type { GovSubsidySyncEnqueuer, GovSyncEnqueueOutcome } from './gov-subsidy-sync-enqueuer';
import { SubsidyError } from './subsidy-error';

export interface GoodsReturnInput {
  orderId: string;
  /** 线上平台退款交易编号 (refund_id on the wire). */
  refundId: string;
  /** When the goods came back; default now. */
  returnedAt?: Date;
}

const refundIdPattern = /^[0-9A-Za-z_\-|*]{1,64}$/;

/**
 * Admin use-case: a subsidy order's goods were returned. Enqueues CATE_STATE_REFUND in one
 * transaction; idempotent (a second call answers `duplicate`). Throws SubsidyError with
 * SUBSIDY_SYNC_INVALID (bad refund id), SUBSIDY_ORDER_NOT_FOUND, SUBSIDY_ORDER_NOT_PAID or
 * SUBSIDY_NOT_ELIGIBLE.
 */
export async function recordGoodsReturn(
  deps: { unitOfWork: UnitOfWork; enqueuer: GovSubsidySyncEnqueuer; clock: Clock },
  input: GoodsReturnInput,
): Promise<GovSyncEnqueueOutcome> {
  if (!refundIdPattern.test(input.refundId)) {
    throw new SubsidyError('SUBSIDY_SYNC_INVALID', 'refundId must be 1–64 of [0-9A-Za-z_-|*]');
  }
  const returnedAt = input.returnedAt ?? deps.clock.now();
  return deps.unitOfWork.run((scope) => deps.enqueuer.onGoodsReturned(scope, { orderId: input.orderId, refundId: input.refundId, returnedAt }));
}
