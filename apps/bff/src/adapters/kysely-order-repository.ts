import { SqliteAdapter, sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { EnergyGrade, OrderStatus } from '@checkout/protocol/contract';
import type { Database, OrderEventsTable, OrderItemsTable, OrdersTable, PayNotificationsTable, PaymentAnomaliesTable } from '../db/schema';
import type { Clock } from '../domain/ports/clock';
import type { IdGenerator } from '../domain/ports/id-generator';
import type { OrderItemRecord, OrderRecord, OrderRefundSummary, SignType, UnifiedOrderParams } from '../domain/orders/order-record';
import type { RefundStatus } from '../domain/refunds/refund-record';
import type { PaymentAnomalyKind } from '../domain/orders/payment-anomaly';
import type { MarkPaidInput, NewOrder, NotificationReceipt, OrderPage, OrderRepository, PaidTransition, PaymentTarget, StatusChange } from '../domain/orders/order-repository';
import { orderTransitions, orderUpdates, type OrderTransitionKind } from '../domain/orders/order-lifecycle';
import type { OrderEventHandler } from '../domain/orders/order-events';
import { transactionScope } from './kysely-unit-of-work';
import { isUniqueViolation } from '../db/is-unique-violation';
import { precompiled } from '../db/precompiled-query';
import { dateOrNull } from '../db/date-or-null';

type Db = Kysely<Database> | Transaction<Database>;

// The queries on the notify and checkout paths, compiled once (see precompiled-query.ts).
type NewOrderRow = Omit<Insertable<OrdersTable>, 'prepay_id' | 'prepay_expires_at' | 'transaction_id' | 'paid_at' | 'closed_at' | 'close_reason' | 'last_failure_code' | 'last_queried_at' | 'sweep_lease_until' | 'paid_after_close' | 'refund_held_fen' | 'refunded_fen' | 'refund_count'>;
const insertOrder = precompiled((db: Kysely<Database>, p: Required<NewOrderRow>) =>
  db.insertInto('orders').values({
    id: p.id,
    user_id: p.user_id,
    out_trade_no: p.out_trade_no,
    status: p.status,
    app_id: p.app_id,
    mch_id: p.mch_id,
    sign_type: p.sign_type,
    total_fen: p.total_fen,
    subsidy_discount_fen: p.subsidy_discount_fen,
    payable_fen: p.payable_fen,
    unifiedorder_params: p.unifiedorder_params,
    cancel_requested: p.cancel_requested,
    idempotency_key: p.idempotency_key,
    request_fingerprint: p.request_fingerprint,
    created_at: p.created_at,
    expires_at: p.expires_at,
    updated_at: p.updated_at,
  }),
);
const insertItem = precompiled((db: Kysely<Database>, p: Required<Insertable<OrderItemsTable>>) =>
  db.insertInto('order_items').values({
    order_id: p.order_id,
    line_no: p.line_no,
    product_id: p.product_id,
    name: p.name,
    quantity: p.quantity,
    unit_price_fen: p.unit_price_fen,
    subsidy_discount_fen: p.subsidy_discount_fen,
    appliance_id: p.appliance_id,
    brand: p.brand,
    energy_grade: p.energy_grade,
  }),
);
const selectOrderById = precompiled((db: Kysely<Database>, p: { id: string }) => db.selectFrom('orders').selectAll().where('id', '=', p.id));
const selectPaymentTarget = precompiled((db: Kysely<Database>, p: { outTradeNo: string }) =>
  db.selectFrom('orders').select(['id', 'status', 'app_id', 'mch_id', 'payable_fen', 'transaction_id', 'sign_type']).where('out_trade_no', '=', p.outTradeNo),
);
const selectRefundSummaries = precompiled((db: Kysely<Database>, p: { orderId: string }) =>
  db.selectFrom('refunds').select(['id', 'refund_fen', 'status', 'created_at', 'succeeded_at']).where('order_id', '=', p.orderId).orderBy('created_at').orderBy('id'),
);
const selectItems = precompiled((db: Kysely<Database>, p: { orderId: string }) => db.selectFrom('order_items').selectAll().where('order_id', '=', p.orderId).orderBy('line_no'));
const insertEvent = precompiled((db: Kysely<Database>, p: Insertable<OrderEventsTable>) =>
  db.insertInto('order_events').values({ id: p.id, order_id: p.order_id, kind: p.kind, detail: p.detail, at: p.at }),
);
// One row per distinct notification: a repeat only counts (and can mark its row as the applied copy).
const insertNotification = precompiled((db: Kysely<Database>, p: Insertable<PayNotificationsTable>) =>
  db
    .insertInto('pay_notifications')
    .values({
      id: p.id,
      order_id: p.order_id,
      out_trade_no: p.out_trade_no,
      transaction_id: p.transaction_id,
      outcome: p.outcome,
      err_code: p.err_code,
      applied: p.applied,
      raw_body: p.raw_body,
      received_at: p.received_at,
      dedupe_key: p.dedupe_key,
    })
    .onConflict((oc) =>
      oc.column('dedupe_key').doUpdateSet((eb) => ({
        repeat_count: eb('pay_notifications.repeat_count', '+', 1),
        applied: sql<number>`case when ${eb.ref('excluded.applied')} = 1 then 1 else ${eb.ref('pay_notifications.applied')} end`,
      })),
    )
    .returning('id'),
);
const insertAnomaly = precompiled((db: Kysely<Database>, p: Insertable<PaymentAnomaliesTable>) =>
  db
    .insertInto('payment_anomalies')
    .values({
      id: p.id,
      order_id: p.order_id,
      out_trade_no: p.out_trade_no,
      kind: p.kind,
      transaction_id: p.transaction_id,
      amount_fen: p.amount_fen,
      status: p.status,
      detail: p.detail,
      detected_at: p.detected_at,
    })
    .onConflict((oc) => oc.columns(['order_id', 'kind', 'transaction_id']).doNothing())
    .returning('id'),
);
const updatePaid = precompiled((db: Kysely<Database>, p: { id: string; transactionId: string; paidAt: string; updatedAt: string }) =>
  db
    .updateTable('orders')
    .set({
      status: orderTransitions.pay.to,
      transaction_id: p.transactionId,
      paid_at: p.paidAt,
      last_failure_code: null,
      updated_at: p.updatedAt,
      // Read from the row before the update; the SQL form of isPaidAfterClose.
      paid_after_close: sql<number>`case when status = 'pending' and cancel_requested = 0 then 0 else 1 end`,
    })
    .where('id', '=', p.id)
    .where('status', 'in', orderTransitions.pay.from)
    .where('transaction_id', 'is', null)
    // The paid row itself: the reactions need it, and a second read of it would cost a statement.
    .returningAll(),
);
// PostgreSQL only: SQLite has one writer at a time, and no FOR UPDATE.
const lockOrderRow = precompiled((db: Kysely<Database>, p: { id: string }) => db.selectFrom('orders').select('id').where('id', '=', p.id).forUpdate());
const updatePrepay = precompiled((db: Kysely<Database>, p: { id: string; prepayId: string; prepayExpiresAt: string; updatedAt: string }) =>
  db
    .updateTable('orders')
    .set({ prepay_id: p.prepayId, prepay_expires_at: p.prepayExpiresAt, last_failure_code: null, updated_at: p.updatedAt })
    .where('id', '=', p.id)
    // An order paid (or closed) while unifiedorder was in flight keeps the prepay_id it was settled with.
    .where('status', 'in', orderUpdates.prepay)
    .returningAll(),
);

/** Reactions to what the repository applied. The `after…` ones run after commit and must not throw. */
export interface OrderRepositoryHooks {
  /** Applied inside the transaction of the change (see OrderEventHandler). */
  onEvent?: OrderEventHandler;
  /** After the paid transition committed, with the number of deliverable outbox jobs it added (wakes the outbox worker). */
  afterPaid?: (order: OrderRecord, outboxJobsEnqueued: number) => void;
  /** After a payment anomaly was first recorded (metrics). */
  afterAnomaly?: (kind: PaymentAnomalyKind) => void;
  /** After any lifecycle transition was applied (metrics). */
  afterTransition?: (kind: OrderTransitionKind) => void;
}

export class KyselyOrderRepository implements OrderRepository {
  private readonly locksRows: boolean;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: Pick<IdGenerator, 'eventId'>,
    private readonly hooks: OrderRepositoryHooks = {},
  ) {
    this.locksRows = !(db.getExecutor().adapter instanceof SqliteAdapter);
  }

  async create(order: NewOrder): Promise<'created' | 'duplicate_idempotency_key'> {
    const at = order.createdAt.toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        await insertOrder(trx, {
          id: order.id,
          user_id: order.userId,
          out_trade_no: order.outTradeNo,
          status: 'pending',
          app_id: order.appId,
          mch_id: order.mchId,
          sign_type: order.signType,
          total_fen: order.totalFen,
          subsidy_discount_fen: order.subsidyDiscountFen,
          payable_fen: order.payableFen,
          unifiedorder_params: JSON.stringify(order.unifiedOrder),
          cancel_requested: 0,
          idempotency_key: order.idempotencyKey,
          request_fingerprint: order.requestFingerprint,
          created_at: at,
          expires_at: order.expiresAt.toISOString(),
          updated_at: at,
        });
        for (const item of order.items) {
          await insertItem(trx, {
            order_id: order.id,
            line_no: item.lineNo,
            product_id: item.productId,
            name: item.name,
            quantity: item.quantity,
            unit_price_fen: item.unitPriceFen,
            subsidy_discount_fen: item.subsidyDiscountFen,
            appliance_id: item.applianceId,
            brand: item.brand,
            energy_grade: item.energyGrade,
          });
        }
        if (order.subsidy) {
          await trx
            .insertInto('order_subsidies')
            .values({
              order_id: order.id,
              identity_document_type: order.subsidy.identityDocumentType,
              receive_region_code: order.subsidy.receiveRegionCode,
              qualification_region_code: order.subsidy.qualificationRegionCode,
              pii_sealed: order.subsidy.sealedPii,
            })
            .execute();
        }
        await this.insertEvent(trx, order.id, 'created', `payable_fen=${order.payableFen}`, order.createdAt);
      });
      return 'created';
    } catch (error) {
      if (order.idempotencyKey && isUniqueViolation(error)) {
        const existing = await this.findByIdempotencyKey(order.userId, order.idempotencyKey);
        if (existing) return 'duplicate_idempotency_key';
      }
      throw error;
    }
  }

  findById(id: string): Promise<OrderRecord | null> {
    return this.loadOne(this.db, id);
  }

  async findPaymentTarget(outTradeNo: string): Promise<PaymentTarget | null> {
    const [row] = (await selectPaymentTarget(this.db, { outTradeNo })).rows;
    return row
      ? { id: row.id, status: row.status as OrderStatus, appId: row.app_id, mchId: row.mch_id, payableFen: Number(row.payable_fen), transactionId: row.transaction_id, signType: row.sign_type as SignType }
      : null;
  }

  async findByIdempotencyKey(userId: string, key: string): Promise<OrderRecord | null> {
    const row = await this.db.selectFrom('orders').selectAll().where('user_id', '=', userId).where('idempotency_key', '=', key).executeTakeFirst();
    return row ? this.withItems(this.db, row) : null;
  }

  async listForUser(userId: string, page: OrderPage): Promise<OrderRecord[]> {
    let query = this.db.selectFrom('orders').selectAll().where('user_id', '=', userId);
    const before = page.before;
    if (before) {
      const createdAt = before.createdAt.toISOString();
      // A row value, so both databases seek the (user_id, created_at, id) index to the cursor (an OR of the two conditions walks the buyer's orders from the newest).
      query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(createdAt, before.id)));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
    if (rows.length === 0) return [];
    const items = await this.db
      .selectFrom('order_items')
      .selectAll()
      .where(
        'order_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('line_no')
      .execute();
    const withRefunds = rows.filter((row) => Number(row.refund_count) > 0).map((row) => row.id);
    const refunds =
      withRefunds.length === 0
        ? []
        : await this.db.selectFrom('refunds').select(['id', 'order_id', 'refund_fen', 'status', 'created_at', 'succeeded_at']).where('order_id', 'in', withRefunds).orderBy('created_at').orderBy('id').execute();
    return rows.map((row) =>
      toOrder(
        row,
        items.filter((item) => item.order_id === row.id).map(toItem),
        refunds.filter((refund) => refund.order_id === row.id).map(toRefundSummary),
      ),
    );
  }

  async setPrepay(order: OrderRecord, prepay: { prepayId: string; expiresAt: Date; at: Date }): Promise<OrderRecord | null> {
    return this.db.transaction().execute(async (trx) => {
      const [row] = (await updatePrepay(trx, { id: order.id, prepayId: prepay.prepayId, prepayExpiresAt: prepay.expiresAt.toISOString(), updatedAt: this.nowIso() })).rows;
      if (!row) return null;
      await this.insertEvent(trx, order.id, 'prepay', order.prepayId ? 'renewed' : 'created', prepay.at);
      // Items never change after the order is created.
      return toOrder(row, order.items, order.refunds);
    });
  }

  async markPaid(input: MarkPaidInput): Promise<PaidTransition> {
    try {
      let outboxJobsEnqueued = 0;
      const transition = await this.db.transaction().execute(async (trx): Promise<PaidTransition> => {
        // Every writer of this order queues on its row first. Without it a transaction that finds
        // the order already paid (no row lock) holds its notification's key while its foreign key
        // waits for the order row, which the winner holds while it waits for that same key: a deadlock.
        if (this.locksRows) await lockOrderRow(trx, { id: input.orderId });
        // The conditional update decides: only one transaction can find the order unpaid.
        const [paidRow] = (await updatePaid(trx, { id: input.orderId, transactionId: input.transactionId, paidAt: input.paidAt.toISOString(), updatedAt: this.nowIso() })).rows;
        const applied = paidRow !== undefined;
        if (input.notification) await this.insertNotification(trx, input.notification, input.orderId, applied);
        if (applied) await this.insertEvent(trx, input.orderId, 'paid', `by ${input.source}`, this.clock.now());
        // The notification and the event do not touch the order row: the updated row is current.
        const order = paidRow ? await withItemsAndRefunds(trx, paidRow) : await this.loadOne(trx, input.orderId);
        if (applied && order) {
          const scope = transactionScope(trx);
          await this.hooks.onEvent?.({ type: 'paid', order }, scope);
          outboxJobsEnqueued = scope.outbox.pendingJobsEnqueued;
          if (order.paidAfterClose) await this.recordAnomaly(trx, order, 'paid_after_close', input.transactionId, `paid by ${input.source} after the order was closed, cancelled or failed`);
          return { kind: 'applied', order, paidAfterClose: order.paidAfterClose };
        }
        if (order?.status === 'paid' && order.transactionId === input.transactionId) return { kind: 'already_paid', order };
        if (order?.status === 'paid') {
          // WeChat Pay says money moved twice for one order: keep it once, for an operator or a refund.
          const newAnomaly = await this.recordAnomaly(trx, order, 'double_payment', input.transactionId, `order already paid by transaction ${order.transactionId ?? '?'}`);
          return { kind: 'conflict', order, doublePayment: true, newAnomaly };
        }
        return { kind: 'conflict', order, doublePayment: false, newAnomaly: false };
      });
      if (transition.kind === 'applied') {
        this.hooks.afterTransition?.('pay');
        this.hooks.afterPaid?.(transition.order, outboxJobsEnqueued);
      }
      if (transition.kind === 'applied' && transition.paidAfterClose) this.hooks.afterAnomaly?.('paid_after_close');
      if (transition.kind === 'conflict' && transition.newAnomaly) this.hooks.afterAnomaly?.('double_payment');
      return transition;
    } catch (error) {
      // transaction_id already belongs to another order: nothing applied; keep the evidence.
      if (!isUniqueViolation(error)) throw error;
      if (input.notification) await this.recordNotification(input.notification, input.orderId);
      return { kind: 'conflict', order: await this.findById(input.orderId), doublePayment: false, newAnomaly: false };
    }
  }

  async recordNotification(receipt: NotificationReceipt, orderId: string | null): Promise<'stored' | 'repeat'> {
    return (await this.insertNotification(this.db, receipt, orderId, false)) ? 'stored' : 'repeat';
  }

  async transition(orderId: string, change: StatusChange): Promise<boolean> {
    const { from, to } = orderTransitions[change.kind];
    const fields = change.kind === 'close' ? { closed_at: change.at.toISOString(), close_reason: change.reason } : { last_failure_code: change.failureCode };
    const result = await this.db
      .updateTable('orders')
      .set({ status: to, ...fields, updated_at: this.nowIso() })
      .where('id', '=', orderId)
      .where('status', 'in', from)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    this.hooks.afterTransition?.(change.kind);
    return true;
  }

  async markFailedClosed(orderId: string, closedAt: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('orders')
      .set({ closed_at: closedAt.toISOString(), close_reason: 'PAYERROR', updated_at: this.nowIso() })
      .where('id', '=', orderId)
      .where('status', 'in', orderUpdates.closedAtWechat)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async recordFailedAttempt(orderId: string, failureCode: string, at: Date): Promise<boolean> {
    // Conditional like every status change: a late FAIL must not touch an order paid meanwhile.
    const result = await this.db
      .updateTable('orders')
      .set({ last_failure_code: failureCode, updated_at: this.nowIso() })
      .where('id', '=', orderId)
      .where('status', 'in', orderUpdates.failedAttempt)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    await this.insertEvent(this.db, orderId, 'attempt_failed', failureCode, at);
    return true;
  }

  async requestCancel(orderId: string, _at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('orders')
      .set({ cancel_requested: 1, updated_at: this.nowIso() })
      .where('id', '=', orderId)
      .where('status', 'in', orderUpdates.cancelRequest)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async recordQueried(orderId: string, at: Date): Promise<void> {
    await this.db.updateTable('orders').set({ last_queried_at: at.toISOString() }).where('id', '=', orderId).execute();
  }

  async recordEvent(orderId: string, kind: string, detail: string, at: Date): Promise<void> {
    await this.insertEvent(this.db, orderId, kind, detail, at);
  }

  async listDueForQuery(createdBefore: Date, queriedBefore: Date, limit: number): Promise<OrderRecord[]> {
    const queried = queriedBefore.toISOString();
    const rows = await this.db
      .selectFrom('orders')
      .selectAll()
      .where('status', '=', 'pending')
      .where('created_at', '<', createdBefore.toISOString())
      .where((eb) => eb.or([eb('last_queried_at', 'is', null), eb('last_queried_at', '<', queried)]))
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return Promise.all(rows.map((row) => this.withItems(this.db, row)));
  }

  async listDueForClose(createdBefore: Date, now: Date, limit: number): Promise<OrderRecord[]> {
    // Two queries, each an ordered range of an index that stops after `limit` rows (one query with
    // an OR of both made both databases read and sort every candidate), merged oldest first.
    const [pending, failed] = await Promise.all([
      this.db
        .selectFrom('orders')
        .selectAll()
        .where('status', '=', 'pending')
        .where('created_at', '<=', createdBefore.toISOString())
        .where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb('cancel_requested', '=', 1)]))
        .orderBy('created_at')
        .limit(limit)
        .execute(),
      this.db
        .selectFrom('orders')
        .selectAll()
        .where('status', '=', 'failed')
        .where('closed_at', 'is', null)
        .where('created_at', '<=', createdBefore.toISOString())
        .orderBy('created_at')
        .limit(limit)
        .execute(),
    ]);
    const oldest = [...pending, ...failed].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0)).slice(0, limit);
    return Promise.all(oldest.map((row) => this.withItems(this.db, row)));
  }

  async claimForSweep(orderId: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('orders')
      .set({ sweep_lease_until: leaseUntil.toISOString() })
      .where('id', '=', orderId)
      .where((eb) => eb.or([eb('sweep_lease_until', 'is', null), eb('sweep_lease_until', '<', now.toISOString())]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  private loadOne(db: Db, id: string): Promise<OrderRecord | null> {
    return loadOrderRecord(db, id);
  }

  private withItems(db: Db, row: Selectable<OrdersTable>): Promise<OrderRecord> {
    return withItemsAndRefunds(db, row);
  }

  /** True when this content was new; false when it only counted a repeat. */
  private async insertNotification(db: Db, receipt: NotificationReceipt, orderId: string | null, applied: boolean): Promise<boolean> {
    const id = this.ids.eventId();
    const { rows } = await insertNotification(db, {
      id,
      order_id: orderId,
      out_trade_no: receipt.outTradeNo,
      transaction_id: receipt.transactionId,
      outcome: receipt.outcome,
      err_code: receipt.errCode,
      applied: applied ? 1 : 0,
      raw_body: receipt.rawBody,
      received_at: receipt.receivedAt.toISOString(),
      dedupe_key: receipt.dedupeKey,
    });
    return rows[0]?.id === id;
  }

  /**
   * True when recorded now (its reactions, e.g. the automatic refund, run in this transaction);
   * false when this (order, kind, transaction) was already recorded.
   */
  private async recordAnomaly(trx: Transaction<Database>, order: OrderRecord, kind: PaymentAnomalyKind, transactionId: string, detail: string): Promise<boolean> {
    const id = this.ids.eventId();
    const { rows } = await insertAnomaly(trx, {
      id,
      order_id: order.id,
      out_trade_no: order.outTradeNo,
      kind,
      transaction_id: transactionId,
      amount_fen: order.payableFen,
      status: 'open',
      detail,
      detected_at: this.nowIso(),
    });
    if (rows.length !== 1) return false;
    await this.hooks.onEvent?.({ type: 'payment_anomaly', order, anomaly: { id, kind, transactionId, amountFen: order.payableFen } }, transactionScope(trx));
    return true;
  }

  private async insertEvent(db: Db, orderId: string, kind: string, detail: string, at: Date): Promise<void> {
    await insertEvent(db, { id: this.ids.eventId(), order_id: orderId, kind, detail, at: at.toISOString() });
  }
}

/** An order with its lines and (only when it has any, so most reads cost no query) its refunds. */
export async function loadOrderRecord(db: Db, id: string): Promise<OrderRecord | null> {
  const [row] = (await selectOrderById(db, { id })).rows;
  return row ? withItemsAndRefunds(db, row) : null;
}

async function withItemsAndRefunds(db: Db, row: Selectable<OrdersTable>): Promise<OrderRecord> {
  const { rows: items } = await selectItems(db, { orderId: row.id });
  const refunds = Number(row.refund_count) > 0 ? (await selectRefundSummaries(db, { orderId: row.id })).rows.map(toRefundSummary) : [];
  return toOrder(row, items.map(toItem), refunds);
}

function toRefundSummary(row: { id: string; refund_fen: number | string; status: string; created_at: string; succeeded_at: string | null }): OrderRefundSummary {
  return { id: row.id, refundFen: Number(row.refund_fen), status: row.status as RefundStatus, createdAt: new Date(row.created_at), succeededAt: dateOrNull(row.succeeded_at) };
}

function toOrder(row: Selectable<OrdersTable>, items: readonly OrderItemRecord[], refunds: readonly OrderRefundSummary[] = []): OrderRecord {
  return {
    id: row.id,
    userId: row.user_id,
    outTradeNo: row.out_trade_no,
    status: row.status as OrderStatus,
    appId: row.app_id,
    mchId: row.mch_id,
    signType: row.sign_type as SignType,
    totalFen: Number(row.total_fen),
    subsidyDiscountFen: Number(row.subsidy_discount_fen),
    payableFen: Number(row.payable_fen),
    unifiedOrder: JSON.parse(row.unifiedorder_params) as UnifiedOrderParams,
    prepayId: row.prepay_id,
    prepayExpiresAt: dateOrNull(row.prepay_expires_at),
    transactionId: row.transaction_id,
    cancelRequested: Number(row.cancel_requested) === 1,
    idempotencyKey: row.idempotency_key,
    requestFingerprint: row.request_fingerprint,
    lastFailureCode: row.last_failure_code,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    paidAt: dateOrNull(row.paid_at),
    closedAt: dateOrNull(row.closed_at),
    lastQueriedAt: dateOrNull(row.last_queried_at),
    paidAfterClose: Number(row.paid_after_close) === 1,
    refundHeldFen: Number(row.refund_held_fen),
    refundedFen: Number(row.refunded_fen),
    refunds: [...refunds],
    items: [...items],
  };
}

function toItem(item: Selectable<OrderItemsTable>): OrderItemRecord {
  return {
    lineNo: Number(item.line_no),
    productId: item.product_id,
    name: item.name,
    quantity: Number(item.quantity),
    unitPriceFen: Number(item.unit_price_fen),
    subsidyDiscountFen: Number(item.subsidy_discount_fen),
    applianceId: item.appliance_id === null ? null : Number(item.appliance_id),
    brand: item.brand,
    energyGrade: item.energy_grade as EnergyGrade | null,
  };
}
