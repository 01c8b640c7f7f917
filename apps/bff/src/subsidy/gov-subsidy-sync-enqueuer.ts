import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { enqueueOutboxJob } from '../outbox/enqueue-outbox-job';
import { asOutboxDb, type OutboxDatabase } from '../outbox/outbox-table';
import { GOV_SUBSIDY_SYNC_JOB, govSubsidySyncDedupeKey, govSubsidySyncJobForOrder, type WechatPayEncryptionKey } from './gov-subsidy-sync-job';
import type { GovSubsidyMerchantConfig, GovSyncEvent } from './gov-subsidy-sync-request';
import { loadSubsidyOrder } from './load-subsidy-order';
import { SubsidyError } from './subsidy-error';
import { asSubsidyOrderDb, type SubsidyOrderTables } from './subsidy-order-tables';

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
  logger: Logger;
}

type Db<DB> = Kysely<DB> | Transaction<DB>;

/**
 * Turns order events into gov sync jobs inside the caller's transaction.
 * - `onPaid`: call in the transaction that moved the order to paid (notify or orderquery). It
 *   never throws for a problem of the sync itself: the payment is real and must be recorded, so an
 *   unbuildable body becomes a dead job + error log (visible in metrics) instead of a rollback.
 * - `onGoodsReturned`: the admin return; refuses unknown, unpaid or non-subsidy orders, and
 *   orders whose REDEEM was never enqueued (paid while sync was off), with a SubsidyError code;
 *   idempotent per order. The REFUND job names the REDEEM job as its predecessor (`after`).
 */
export function createGovSubsidySyncEnqueuer(deps: GovSubsidySyncEnqueuerDeps) {
  const enqueue = async <DB extends OutboxDatabase & SubsidyOrderTables>(
    trx: Db<DB>,
    ref: { orderId: string },
    event: GovSyncEvent,
    strict: boolean,
    after?: (outTradeNo: string) => Promise<string>,
  ): Promise<GovSyncEnqueueOutcome> => {
    const stored = await loadSubsidyOrder(asSubsidyOrderDb(trx), ref);
    if (!stored) throw new SubsidyError('SUBSIDY_ORDER_NOT_FOUND', `order ${ref.orderId} does not exist`);
    if (!stored.claim) {
      if (strict) throw new SubsidyError('SUBSIDY_NOT_ELIGIBLE', `order ${ref.orderId} carries no national-subsidy claim`);
      return 'not_subsidy';
    }
    const predecessor = after ? await after(stored.order.outTradeNo) : undefined;
    const now = deps.clock.now();
    let job;
    try {
      job = govSubsidySyncJobForOrder({ order: stored.order, claim: stored.claim, event, merchant: deps.merchant, pii: deps.pii, wechatPay: deps.wechatPay });
    } catch (error) {
      if (!(error instanceof SubsidyError) || strict) throw error;
      deps.logger.error({ orderId: ref.orderId, outTradeNo: stored.order.outTradeNo, cateState: event.cateState, code: error.code }, 'gov subsidy sync cannot be built; recorded as a dead job');
      await asOutboxDb(trx)
        .insertInto('outbox_jobs')
        .values({
          id: randomUUID(),
          kind: GOV_SUBSIDY_SYNC_JOB,
          dedupe_key: govSubsidySyncDedupeKey(stored.order.outTradeNo, event.cateState),
          payload: JSON.stringify({ unbuildable: true, orderId: ref.orderId, cateState: event.cateState }),
          status: 'dead',
          next_attempt_at: now.toISOString(),
          last_error: `UNBUILDABLE:${error.code}`,
          locked_until: null,
          locked_by: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          delivered_at: null,
        })
        .onConflict((oc) => oc.columns(['kind', 'dedupe_key']).doNothing())
        .execute();
      return 'unbuildable';
    }
    const { enqueued } = await enqueueOutboxJob(trx, predecessor === undefined ? job : { ...job, after: predecessor }, { now });
    return enqueued ? 'enqueued' : 'duplicate';
  };

  return {
    onPaid<DB extends OutboxDatabase & SubsidyOrderTables>(trx: Db<DB>, input: { orderId: string; paidAt: Date }): Promise<GovSyncEnqueueOutcome> {
      return enqueue(trx, { orderId: input.orderId }, { cateState: 'CATE_STATE_REDEEM', transactionTime: input.paidAt }, false);
    },
    async onGoodsReturned<DB extends OutboxDatabase & SubsidyOrderTables>(
      trx: Db<DB>,
      input: { orderId: string; refundId: string; returnedAt: Date },
    ): Promise<GovSyncEnqueueOutcome> {
      const stored = await loadSubsidyOrder(asSubsidyOrderDb(trx), { orderId: input.orderId });
      if (!stored) throw new SubsidyError('SUBSIDY_ORDER_NOT_FOUND', `order ${input.orderId} does not exist`);
      if (stored.order.paidAt === null) throw new SubsidyError('SUBSIDY_ORDER_NOT_PAID', `order ${input.orderId} was never paid`);
      // The REFUND reverses the REDEEM: it is claimed only once that job is delivered, so WeChat
      // Pay never sees the return before the purchase (a retrying or dead REDEEM holds it back).
      const redeemFirst = async (outTradeNo: string): Promise<string> => {
        const redeemKey = govSubsidySyncDedupeKey(outTradeNo, 'CATE_STATE_REDEEM');
        const redeem = await asOutboxDb(trx)
          .selectFrom('outbox_jobs')
          .select('id')
          .where('kind', '=', GOV_SUBSIDY_SYNC_JOB)
          .where('dedupe_key', '=', redeemKey)
          .executeTakeFirst();
        // Paid while sync was off (or before the outbox existed): WeChat Pay has no purchase to reverse.
        if (!redeem) throw new SubsidyError('SUBSIDY_NOT_ELIGIBLE', `order ${input.orderId} was paid without a national-subsidy sync (CATE_STATE_REDEEM), so its return is not synced`);
        return redeemKey;
      };
      return enqueue(trx, { orderId: input.orderId }, { cateState: 'CATE_STATE_REFUND', transactionTime: input.returnedAt, refundId: input.refundId }, true, redeemFirst);
    },
  };
}

export type GovSubsidySyncEnqueuer = ReturnType<typeof createGovSubsidySyncEnqueuer>;
