import type { DomainLogger } from '../ports/domain-logger';
import type { TransactionScope } from '../ports/unit-of-work';
import { GOV_SUBSIDY_SYNC_JOB, govSubsidySyncDedupeKey, govSubsidySyncJobForOrder, type WechatPayEncryptionKey } from './gov-subsidy-sync-job';
import type { GovSubsidyMerchantConfig, GovSyncEvent } from './gov-subsidy-sync-request';
import { SubsidyError } from './subsidy-error';

export type GovSyncEnqueueOutcome =
  /** A new job is in the outbox (commits with the caller's transaction). */
  | 'enqueued'
  /** A job for this (out_trade_no, cate_state) already exists: nothing to do. */
  | 'duplicate'
  /** The order has no subsidy claim. */
  | 'not_subsidy'
  /** The sync body could not be built; a dead job records it (see the error log). */
  | 'unbuildable';

export interface GovSubsidySyncEnqueuerDeps {
  merchant: GovSubsidyMerchantConfig;
  pii: { open(sealed: string): string };
  wechatPay: WechatPayEncryptionKey;
  clock: { now(): Date };
  logger: DomainLogger;
}

/**
 * Turns order events into gov sync jobs inside the caller's unit of work (its transaction).
 * - `onPaid`: call in the transaction that moved the order to paid (notify or orderquery). It
 *   never throws for a problem of the sync itself: the payment is real and must be recorded, so an
 *   unbuildable body becomes a dead job + error log (visible in metrics) instead of a rollback.
 * - `onGoodsReturned`: the admin return; refuses unknown, unpaid or non-subsidy orders, and
 *   orders whose REDEEM was never enqueued (paid while sync was off), with a SubsidyError code;
 *   idempotent per order. The REFUND job names the REDEEM job as its predecessor (`after`).
 */
export function createGovSubsidySyncEnqueuer(deps: GovSubsidySyncEnqueuerDeps) {
  const enqueue = async (
    scope: TransactionScope,
    orderId: string,
    event: GovSyncEvent,
    strict: boolean,
    after?: (outTradeNo: string) => Promise<string>,
  ): Promise<GovSyncEnqueueOutcome> => {
    // Every payment passes here: an order without a claim costs one read, not the whole load.
    if (!strict && !(await scope.subsidyOrders.hasClaim(orderId))) return 'not_subsidy';
    const stored = await scope.subsidyOrders.load(orderId);
    if (!stored) throw new SubsidyError('SUBSIDY_ORDER_NOT_FOUND', `order ${orderId} does not exist`);
    if (!stored.claim) {
      if (strict) throw new SubsidyError('SUBSIDY_NOT_ELIGIBLE', `order ${orderId} carries no national-subsidy claim`);
      return 'not_subsidy';
    }
    const predecessor = after ? await after(stored.order.outTradeNo) : undefined;
    const now = deps.clock.now();
    let job;
    try {
      job = govSubsidySyncJobForOrder({ order: stored.order, claim: stored.claim, event, merchant: deps.merchant, pii: deps.pii, wechatPay: deps.wechatPay });
    } catch (error) {
      if (!(error instanceof SubsidyError) || strict) throw error;
      deps.logger.error({ orderId, outTradeNo: stored.order.outTradeNo, cateState: event.cateState, code: error.code }, 'gov subsidy sync cannot be built; recorded as a dead job');
      await scope.outbox.enqueue(
        { kind: GOV_SUBSIDY_SYNC_JOB, dedupeKey: govSubsidySyncDedupeKey(stored.order.outTradeNo, event.cateState), payload: { unbuildable: true, orderId, cateState: event.cateState } },
        { now, dead: { error: `UNBUILDABLE:${error.code}` } },
      );
      return 'unbuildable';
    }
    const { enqueued } = await scope.outbox.enqueue(predecessor === undefined ? job : { ...job, after: predecessor }, { now });
    return enqueued ? 'enqueued' : 'duplicate';
  };

  const enqueueRefund = async (scope: TransactionScope, input: { orderId: string; refundId: string; at: Date }, strict: boolean): Promise<GovSyncEnqueueOutcome> => {
    const stored = await scope.subsidyOrders.load(input.orderId);
    if (!stored) throw new SubsidyError('SUBSIDY_ORDER_NOT_FOUND', `order ${input.orderId} does not exist`);
    if (stored.order.paidAt === null) throw new SubsidyError('SUBSIDY_ORDER_NOT_PAID', `order ${input.orderId} was never paid`);
    if (!stored.claim && !strict) return 'not_subsidy';
    const redeemKey = govSubsidySyncDedupeKey(stored.order.outTradeNo, 'CATE_STATE_REDEEM');
    // The REFUND reverses the REDEEM: it is claimed only once that job is delivered, so WeChat
    // Pay never sees the return before the purchase (a retrying or dead REDEEM holds it back).
    // Paid while sync was off (or before the outbox existed): WeChat Pay has no purchase to reverse.
    if (stored.claim && !(await scope.outbox.has(GOV_SUBSIDY_SYNC_JOB, redeemKey))) {
      if (!strict) return 'not_subsidy';
      throw new SubsidyError('SUBSIDY_NOT_ELIGIBLE', `order ${input.orderId} was paid without a national-subsidy sync (CATE_STATE_REDEEM), so its return is not synced`);
    }
    return enqueue(scope, input.orderId, { cateState: 'CATE_STATE_REFUND', transactionTime: input.at, refundId: input.refundId }, strict, () => Promise.resolve(redeemKey));
  };

  return {
    onPaid(scope: TransactionScope, input: { orderId: string; paidAt: Date }): Promise<GovSyncEnqueueOutcome> {
      return enqueue(scope, input.orderId, { cateState: 'CATE_STATE_REDEEM', transactionTime: input.paidAt }, false);
    },
    /** The admin return: refuses unknown, unpaid and non-subsidy orders (SubsidyError). */
    onGoodsReturned(scope: TransactionScope, input: { orderId: string; refundId: string; returnedAt: Date }): Promise<GovSyncEnqueueOutcome> {
      return enqueueRefund(scope, { orderId: input.orderId, refundId: input.refundId, at: input.returnedAt }, true);
    },
    /**
     * A refund of the order succeeded at WeChat Pay: the REFUND sync with its real refund_id, in
     * the refund's transaction. An order without a claim, or paid while sync was off, is skipped;
     * one REFUND per order (a later partial refund is a duplicate).
     */
    onRefunded(scope: TransactionScope, input: { orderId: string; refundId: string; refundedAt: Date }): Promise<GovSyncEnqueueOutcome> {
      return enqueueRefund(scope, { orderId: input.orderId, refundId: input.refundId, at: input.refundedAt }, false);
    },
  };
}

export type GovSubsidySyncEnqueuer = ReturnType<typeof createGovSubsidySyncEnqueuer>;
