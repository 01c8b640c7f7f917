import { SqliteAdapter, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { OrderStatus } from '@checkout/protocol/contract';
import type { Database, RefundsTable } from '../db/schema';
import { isUniqueViolation } from '../db/is-unique-violation';
import type { OrderEventHandler } from '../domain/orders/order-events';
import { orderTransitions, type OrderTransitionKind } from '../domain/orders/order-lifecycle';
import type { RefundRecord, RefundSource, RefundStatus } from '../domain/refunds/refund-record';
import { orderStatusAfterRefunds, refundableOrderStatuses, refundHoldingStatuses, refundTransitions, type RefundTransitionKind } from '../domain/refunds/refund-lifecycle';
import type { AppliedRefundOutcome, CreateRefundResult, ExternalRefund, NewRefund, RefundOutcome, RefundPage, RefundRepository } from '../domain/refunds/refund-repository';
import { loadOrderRecord } from './kysely-order-repository';
import { dateOrNull } from '../db/date-or-null';

type Db = Kysely<Database> | Transaction<Database>;

/** Reactions to what the repository applied. `after…` run after commit and must not throw. */
export interface RefundRepositoryHooks {
  /** Applied inside the transaction of the change (the gov sync REFUND, …). */
  onEvent?: OrderEventHandler;
  afterRefundTransition?: (kind: RefundTransitionKind, source: RefundSource) => void;
  afterOrderTransition?: (kind: OrderTransitionKind) => void;
}

const outcomeTransition: Record<RefundOutcome['status'], RefundTransitionKind> = {
  processing: 'accept',
  succeeded: 'succeed',
  closed: 'close',
  abnormal: 'abnormal',
};

/**
 * Refunds on SQLite or PostgreSQL. Every change runs in one transaction that first takes the
 * order's row lock (PostgreSQL; SQLite has one writer), so two refunds of one order, or a refund
 * and its notification, are applied one after the other against fresh amounts. Bound to a
 * transaction (inside a unit of work) it joins that transaction instead of opening one.
 */
export class KyselyRefundRepository implements RefundRepository {
  private readonly locksRows: boolean;

  constructor(
    private readonly db: Db,
    private readonly transactionScopeOf: (trx: Transaction<Database>) => Parameters<OrderEventHandler>[1],
    private readonly hooks: RefundRepositoryHooks = {},
  ) {
    this.locksRows = !(db.getExecutor().adapter instanceof SqliteAdapter);
  }

  async create(refund: NewRefund): Promise<CreateRefundResult> {
    return this.inTransaction(async (trx) => {
      const order = await this.lockOrder(trx, { id: refund.orderId });
      if (!order) return { kind: 'order_not_found' };
      const repeat = await this.findRepeat(trx, refund);
      if (repeat) return repeat;
      const ownPayment = refund.transactionId === order.transaction_id;
      if (ownPayment) {
        if (!refundableOrderStatuses.includes(order.status as OrderStatus)) return { kind: 'not_refundable', status: order.status as OrderStatus };
        const held = Number(order.refund_held_fen);
        const remainingFen = Number(order.payable_fen) - held;
        if (refund.refundFen > remainingFen) return { kind: 'exceeds_remaining', remainingFen };
        // Guarded by the amount just read; the CHECK on refund_held_fen is the last word.
        const reserved = await trx
          .updateTable('orders')
          .set((eb) => ({ refund_held_fen: held + refund.refundFen, refund_count: eb('refund_count', '+', 1), updated_at: refund.at.toISOString() }))
          .where('id', '=', order.id)
          .where('refund_held_fen', '=', held)
          .executeTakeFirst();
        if (reserved.numUpdatedRows !== 1n) throw new Error(`refund amount of order ${order.id} changed under its lock`);
      } else {
        // A second payment of the order is refunded whole, once per anomaly; it holds nothing of the order's own.
        if (refund.anomalyId === null) return { kind: 'not_refundable', status: order.status as OrderStatus };
        await trx.updateTable('orders').set((eb) => ({ refund_count: eb('refund_count', '+', 1) })).where('id', '=', order.id).execute();
      }
      const row = await trx
        .insertInto('refunds')
        .values({
          id: refund.id,
          order_id: order.id,
          out_trade_no: order.out_trade_no,
          transaction_id: refund.transactionId,
          out_refund_no: refund.outRefundNo,
          refund_id: null,
          total_fen: refund.totalFen,
          refund_fen: refund.refundFen,
          status: 'requested',
          source: refund.source,
          reason: refund.reason,
          anomaly_id: refund.anomalyId,
          idempotency_key: refund.idempotencyKey,
          last_error: null,
          next_attempt_at: refund.nextAttemptAt.toISOString(),
          received_by: null,
          succeeded_at: null,
          created_at: refund.at.toISOString(),
          updated_at: refund.at.toISOString(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { kind: 'created', refund: toRefund(row) };
    });
  }

  async findByOutRefundNo(outRefundNo: string): Promise<RefundRecord | null> {
    const row = await this.db.selectFrom('refunds').selectAll().where('out_refund_no', '=', outRefundNo).executeTakeFirst();
    return row ? toRefund(row) : null;
  }

  async list(page: RefundPage): Promise<RefundRecord[]> {
    let query = this.db.selectFrom('refunds').selectAll();
    if (page.orderId !== undefined) query = query.where('order_id', '=', page.orderId);
    if (page.statuses !== undefined) query = query.where('status', 'in', [...page.statuses]);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
    return rows.map(toRefund);
  }

  async listDue(now: Date, limit: number): Promise<RefundRecord[]> {
    const rows = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('status', 'in', ['requested', 'processing'])
      .where('next_attempt_at', '<=', now.toISOString())
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map(toRefund);
  }

  async recordAttempt(id: string, attempt: { error: string | null; nextAttemptAt: Date; at: Date }): Promise<void> {
    await this.db
      .updateTable('refunds')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: attempt.error, next_attempt_at: attempt.nextAttemptAt.toISOString(), updated_at: attempt.at.toISOString() }))
      .where('id', '=', id)
      .where('status', '=', 'requested')
      .execute();
  }

  async scheduleQuery(id: string, at: Date, nextAttemptAt: Date): Promise<void> {
    await this.db
      .updateTable('refunds')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: nextAttemptAt.toISOString(), updated_at: at.toISOString() }))
      .where('id', '=', id)
      .where('status', '=', 'processing')
      .execute();
  }

  async applyOutcome(id: string, outcome: RefundOutcome, timing: { at: Date; nextQueryAt: Date | null }): Promise<AppliedRefundOutcome> {
    const kind = outcomeTransition[outcome.status];
    const result = await this.inTransaction(async (trx) => {
      const current = await trx.selectFrom('refunds').select(['order_id']).where('id', '=', id).executeTakeFirst();
      if (!current) throw new Error(`refund ${id} does not exist`);
      const order = await this.lockOrder(trx, { id: current.order_id });
      const { from, to } = refundTransitions[kind];
      const updated = await trx
        .updateTable('refunds')
        .set((eb) => ({
          status: to,
          refund_id: eb.fn.coalesce('refund_id', eb.val(outcome.refundId)),
          received_by: outcome.receivedBy,
          succeeded_at: outcome.succeededAt?.toISOString() ?? (to === 'succeeded' ? timing.at.toISOString() : null),
          next_attempt_at: to === 'processing' ? (timing.nextQueryAt?.toISOString() ?? timing.at.toISOString()) : null,
          attempts: to === 'processing' ? 0 : eb.ref('attempts'),
          last_error: null,
          updated_at: timing.at.toISOString(),
        }))
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .returningAll()
        .executeTakeFirst();
      if (!updated || !order) {
        const unchanged = await trx.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        return { kind: 'unchanged' as const, refund: toRefund(unchanged) };
      }
      const refund = toRefund(updated);
      const orderKind = await this.applyToOrder(trx, order, refund, timing.at);
      const after = await loadOrderRecord(trx, refund.orderId);
      if (!after) throw new Error(`order ${refund.orderId} of refund ${id} vanished`);
      if (to === 'succeeded') await this.hooks.onEvent?.({ type: 'refund_succeeded', order: after, refund }, this.transactionScopeOf(trx));
      return { kind: 'applied' as const, refund, order: after, orderKind };
    });
    if (result.kind === 'applied') {
      this.hooks.afterRefundTransition?.(kind, result.refund.source);
      if (result.orderKind) this.hooks.afterOrderTransition?.(result.orderKind);
      return { kind: 'applied', refund: result.refund, order: result.order };
    }
    return result;
  }

  async refuse(id: string, errorCode: string, at: Date): Promise<boolean> {
    const refused = await this.inTransaction(async (trx) => {
      const current = await trx.selectFrom('refunds').select(['order_id']).where('id', '=', id).executeTakeFirst();
      if (!current) return null;
      const order = await this.lockOrder(trx, { id: current.order_id });
      const updated = await trx
        .updateTable('refunds')
        .set({ status: refundTransitions.refuse.to, last_error: errorCode, next_attempt_at: null, updated_at: at.toISOString() })
        .where('id', '=', id)
        .where('status', 'in', [...refundTransitions.refuse.from])
        .returningAll()
        .executeTakeFirst();
      if (!updated || !order) return null;
      const refund = toRefund(updated);
      await this.applyToOrder(trx, order, refund, at);
      return refund;
    });
    if (refused) this.hooks.afterRefundTransition?.('refuse', refused.source);
    return refused !== null;
  }

  async recordExternal(external: ExternalRefund): Promise<{ kind: 'recorded' | 'duplicate'; refund: RefundRecord } | { kind: 'unknown_order' }> {
    try {
      const result = await this.inTransaction(async (trx) => {
        const existing = await trx.selectFrom('refunds').selectAll().where('out_refund_no', '=', external.outRefundNo).executeTakeFirst();
        if (existing) return { kind: 'duplicate' as const, refund: toRefund(existing) };
        const order = await this.lockOrder(trx, { outTradeNo: external.outTradeNo });
        if (!order) return { kind: 'unknown_order' as const };
        const anomaly =
          external.transactionId === order.transaction_id
            ? undefined
            : await trx.selectFrom('payment_anomalies').select('id').where('order_id', '=', order.id).where('transaction_id', '=', external.transactionId).executeTakeFirst();
        if (external.transactionId !== order.transaction_id && !anomaly) return { kind: 'unknown_order' as const };
        const status: RefundStatus = external.outcome.status;
        const at = external.at.toISOString();
        const row = await trx
          .insertInto('refunds')
          .values({
            id: `ext_${external.refundId}`,
            order_id: order.id,
            out_trade_no: order.out_trade_no,
            transaction_id: external.transactionId,
            out_refund_no: external.outRefundNo,
            refund_id: external.refundId,
            total_fen: external.totalFen,
            refund_fen: external.refundFen,
            status,
            source: 'merchant_portal',
            reason: null,
            anomaly_id: null,
            idempotency_key: null,
            last_error: null,
            next_attempt_at: status === 'processing' ? at : null,
            received_by: external.outcome.receivedBy,
            succeeded_at: status === 'succeeded' ? (external.outcome.succeededAt?.toISOString() ?? at) : null,
            created_at: at,
            updated_at: at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const refund = toRefund(row);
        // The money left whatever our books said: it holds (and, succeeded, refunds) the order's payment.
        const holds = refund.transactionId === order.transaction_id && refundHoldingStatuses.includes(refund.status);
        await trx
          .updateTable('orders')
          .set((eb) => ({ refund_count: eb('refund_count', '+', 1), ...(holds ? { refund_held_fen: eb('refund_held_fen', '+', refund.refundFen) } : {}) }))
          .where('id', '=', order.id)
          .execute();
        const orderKind = status === 'succeeded' ? await this.applyToOrder(trx, order, refund, external.at) : null;
        if (status === 'succeeded') {
          const after = await loadOrderRecord(trx, order.id);
          if (after) await this.hooks.onEvent?.({ type: 'refund_succeeded', order: after, refund }, this.transactionScopeOf(trx));
        }
        return { kind: 'recorded' as const, refund, orderKind };
      });
      if (result.kind === 'recorded' && result.orderKind) this.hooks.afterOrderTransition?.(result.orderKind);
      return result.kind === 'recorded' ? { kind: 'recorded', refund: result.refund } : result;
    } catch (error) {
      // The same notification applied concurrently by another request: it is a repeat.
      if (!isUniqueViolation(error)) throw error;
      const refund = await this.findByOutRefundNo(external.outRefundNo);
      if (!refund) throw error;
      return { kind: 'duplicate', refund };
    }
  }

  /**
   * What a refund's new status means for its order, in the same transaction: a closed or refused
   * refund frees its amount; a succeeded one counts as refunded and moves the order's status; a
   * succeeded refund of a second payment settles its anomaly.
   */
  private async applyToOrder(trx: Transaction<Database>, order: LockedOrder, refund: RefundRecord, at: Date): Promise<OrderTransitionKind | null> {
    const ownPayment = refund.transactionId === order.transaction_id;
    if (refund.status === 'succeeded' && refund.anomalyId !== null) {
      await trx.updateTable('payment_anomalies').set({ status: 'refunded' }).where('id', '=', refund.anomalyId).execute();
    }
    if (!ownPayment) return null;
    if (refund.status === 'closed' || refund.status === 'refused') {
      await trx
        .updateTable('orders')
        .set((eb) => ({ refund_held_fen: eb('refund_held_fen', '-', refund.refundFen), updated_at: at.toISOString() }))
        .where('id', '=', order.id)
        .execute();
      return null;
    }
    if (refund.status !== 'succeeded') return null;
    const refundedFen = Number(order.refunded_fen) + refund.refundFen;
    const status = orderStatusAfterRefunds(Number(order.payable_fen), refundedFen);
    const kind: OrderTransitionKind = status === 'refunded' ? 'refundAll' : 'refundPart';
    const moved = await trx
      .updateTable('orders')
      .set({ refunded_fen: refundedFen, status: orderTransitions[kind].to, updated_at: at.toISOString() })
      .where('id', '=', order.id)
      .where('status', 'in', [...orderTransitions[kind].from])
      .executeTakeFirst();
    if (moved.numUpdatedRows === 1n) {
      await trx.insertInto('order_events').values({ id: `${refund.id}:${refund.status}`, order_id: order.id, kind: 'refunded', detail: `${refund.refundFen} fen by ${refund.outRefundNo}`, at: at.toISOString() }).execute();
      return kind;
    }
    // Not paid any more (e.g. refunded in full already): the money still counts.
    await trx.updateTable('orders').set({ refunded_fen: refundedFen, updated_at: at.toISOString() }).where('id', '=', order.id).execute();
    return null;
  }

  private async findRepeat(trx: Transaction<Database>, refund: NewRefund): Promise<CreateRefundResult | null> {
    let query = trx.selectFrom('refunds').selectAll().where('order_id', '=', refund.orderId);
    if (refund.idempotencyKey !== null) query = query.where('idempotency_key', '=', refund.idempotencyKey);
    else if (refund.anomalyId !== null) query = query.where('anomaly_id', '=', refund.anomalyId);
    else return null;
    const row = await query.executeTakeFirst();
    if (!row) return null;
    const existing = toRefund(row);
    return existing.refundFen === refund.refundFen ? { kind: 'existing', refund: existing } : { kind: 'idempotency_conflict', refund: existing };
  }

  private async lockOrder(trx: Transaction<Database>, ref: { id: string } | { outTradeNo: string }): Promise<LockedOrder | undefined> {
    let query = trx.selectFrom('orders').select(['id', 'out_trade_no', 'status', 'transaction_id', 'payable_fen', 'refund_held_fen', 'refunded_fen']);
    query = 'id' in ref ? query.where('id', '=', ref.id) : query.where('out_trade_no', '=', ref.outTradeNo);
    return (this.locksRows ? query.forUpdate() : query).executeTakeFirst();
  }

  private inTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? work(this.db as Transaction<Database>) : this.db.transaction().execute(work);
  }
}

type LockedOrder = { id: string; out_trade_no: string; status: string; transaction_id: string | null; payable_fen: number | string; refund_held_fen: number | string; refunded_fen: number | string };

function toRefund(row: Selectable<RefundsTable>): RefundRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    outTradeNo: row.out_trade_no,
    transactionId: row.transaction_id,
    outRefundNo: row.out_refund_no,
    refundId: row.refund_id,
    totalFen: Number(row.total_fen),
    refundFen: Number(row.refund_fen),
    status: row.status as RefundStatus,
    source: row.source as RefundSource,
    reason: row.reason,
    anomalyId: row.anomaly_id,
    lastError: row.last_error,
    attempts: Number(row.attempts),
    nextAttemptAt: dateOrNull(row.next_attempt_at),
    receivedBy: row.received_by,
    succeededAt: dateOrNull(row.succeeded_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
