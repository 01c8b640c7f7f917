/* eslint-disable @typescript-eslint/require-await -- in memory, the async ports answer at once */
import type { Clock } from '../../src/domain/ports/clock';
import type { OrderRecord } from '../../src/domain/orders/order-record';
import type { MarkPaidInput, NewOrder, NotificationReceipt, OrderPage, OrderRepository, PaidTransition, PaymentTarget, StatusChange } from '../../src/domain/orders/order-repository';
import type { PaymentAnomalyKind } from '../../src/domain/orders/payment-anomaly';
import { createdOrderRecord } from '../../src/domain/orders/created-order-record';
import { canTransition, canUpdate, isPaidAfterClose, orderTransitions } from '../../src/domain/orders/order-lifecycle';

export interface StoredNotification extends NotificationReceipt {
  orderId: string | null;
  applied: boolean;
  repeatCount: number;
}

/**
 * OrderRepository in memory for the use-case unit tests. Same contract as the Kysely one: every
 * change is guarded by the lifecycle table, notifications are kept once per content, anomalies
 * once per (order, kind, transaction). Single-threaded, so each method is its own transaction.
 */
export class InMemoryOrderRepository implements OrderRepository {
  readonly orders = new Map<string, OrderRecord>();
  readonly events: { orderId: string; kind: string; detail: string }[] = [];
  readonly notifications = new Map<string, StoredNotification>();
  readonly anomalies: { orderId: string; kind: PaymentAnomalyKind; transactionId: string }[] = [];
  private readonly leases = new Map<string, Date>();

  constructor(private readonly clock: Clock) {}

  async create(order: NewOrder): Promise<'created' | 'duplicate_idempotency_key'> {
    if (order.idempotencyKey && (await this.findByIdempotencyKey(order.userId, order.idempotencyKey))) return 'duplicate_idempotency_key';
    this.orders.set(order.id, createdOrderRecord(order));
    return 'created';
  }

  async findById(id: string): Promise<OrderRecord | null> {
    const order = this.orders.get(id);
    return order ? { ...order } : null;
  }

  async findPaymentTarget(outTradeNo: string): Promise<PaymentTarget | null> {
    const order = [...this.orders.values()].find((o) => o.outTradeNo === outTradeNo);
    return order ? { ...order } : null;
  }

  async findByIdempotencyKey(userId: string, key: string): Promise<OrderRecord | null> {
    return [...this.orders.values()].find((order) => order.userId === userId && order.idempotencyKey === key) ?? null;
  }

  async listForUser(userId: string, page: OrderPage): Promise<OrderRecord[]> {
    const newestFirst = [...this.orders.values()].filter((order) => order.userId === userId).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    const before = page.before;
    const older = before ? newestFirst.filter((o) => o.createdAt < before.createdAt || (o.createdAt.getTime() === before.createdAt.getTime() && o.id < before.id)) : newestFirst;
    return older.slice(0, page.limit);
  }

  async setPrepay(order: OrderRecord, prepay: { prepayId: string; expiresAt: Date; at: Date }): Promise<OrderRecord | null> {
    const current = this.orders.get(order.id);
    if (!current || !canUpdate(current.status, 'prepay')) return null;
    this.update(order.id, { prepayId: prepay.prepayId, prepayExpiresAt: prepay.expiresAt, lastFailureCode: null });
    await this.recordEvent(order.id, 'prepay', order.prepayId ? 'renewed' : 'created', prepay.at);
    return this.findById(order.id);
  }

  async markPaid(input: MarkPaidInput): Promise<PaidTransition> {
    const current = this.orders.get(input.orderId);
    const takenElsewhere = [...this.orders.values()].some((o) => o.id !== input.orderId && o.transactionId === input.transactionId);
    if (takenElsewhere) {
      if (input.notification) this.storeNotification(input.notification, input.orderId, false);
      return { kind: 'conflict', order: current ? { ...current } : null, doublePayment: false, newAnomaly: false };
    }
    const applies = current !== undefined && canTransition(current.status, 'pay') && current.transactionId === null;
    if (input.notification) this.storeNotification(input.notification, input.orderId, applies);
    if (!current) return { kind: 'conflict', order: null, doublePayment: false, newAnomaly: false };
    if (applies) {
      const paidAfterClose = isPaidAfterClose(current);
      this.update(current.id, { status: orderTransitions.pay.to, transactionId: input.transactionId, paidAt: input.paidAt, lastFailureCode: null, paidAfterClose });
      await this.recordEvent(current.id, 'paid', `by ${input.source}`, this.clock.now());
      if (paidAfterClose) this.recordAnomaly(current.id, 'paid_after_close', input.transactionId);
      return { kind: 'applied', order: { ...this.get(current.id) }, paidAfterClose };
    }
    if (current.status === 'paid' && current.transactionId === input.transactionId) return { kind: 'already_paid', order: { ...current } };
    if (current.status === 'paid') {
      return { kind: 'conflict', order: { ...current }, doublePayment: true, newAnomaly: this.recordAnomaly(current.id, 'double_payment', input.transactionId) };
    }
    return { kind: 'conflict', order: { ...current }, doublePayment: false, newAnomaly: false };
  }

  async recordNotification(receipt: NotificationReceipt, orderId: string | null): Promise<'stored' | 'repeat'> {
    return this.storeNotification(receipt, orderId, false) ? 'stored' : 'repeat';
  }

  async transition(orderId: string, change: StatusChange): Promise<boolean> {
    const current = this.orders.get(orderId);
    if (!current || !canTransition(current.status, change.kind)) return false;
    const to = orderTransitions[change.kind].to;
    this.update(orderId, change.kind === 'close' ? { status: to, closedAt: change.at } : { status: to, lastFailureCode: change.failureCode });
    return true;
  }

  async markFailedClosed(orderId: string, closedAt: Date): Promise<boolean> {
    const current = this.orders.get(orderId);
    if (!current || !canUpdate(current.status, 'closedAtWechat') || current.closedAt) return false;
    this.update(orderId, { closedAt });
    return true;
  }

  async recordFailedAttempt(orderId: string, failureCode: string, at: Date): Promise<boolean> {
    const current = this.orders.get(orderId);
    if (!current || !canUpdate(current.status, 'failedAttempt')) return false;
    this.update(orderId, { lastFailureCode: failureCode });
    await this.recordEvent(orderId, 'attempt_failed', failureCode, at);
    return true;
  }

  async requestCancel(orderId: string): Promise<boolean> {
    const current = this.orders.get(orderId);
    if (!current || !canUpdate(current.status, 'cancelRequest')) return false;
    this.update(orderId, { cancelRequested: true });
    return true;
  }

  async recordQueried(orderId: string, at: Date): Promise<void> {
    if (this.orders.has(orderId)) this.update(orderId, { lastQueriedAt: at });
  }

  async recordEvent(orderId: string, kind: string, detail: string, _at?: Date): Promise<void> {
    this.events.push({ orderId, kind, detail });
  }

  async listDueForQuery(createdBefore: Date, queriedBefore: Date, limit: number): Promise<OrderRecord[]> {
    return this.oldestFirst()
      .filter((o) => o.status === 'pending' && o.createdAt < createdBefore && (!o.lastQueriedAt || o.lastQueriedAt < queriedBefore))
      .slice(0, limit);
  }

  async listDueForClose(createdBefore: Date, now: Date, limit: number): Promise<OrderRecord[]> {
    const due = (o: OrderRecord) => (o.status === 'pending' && (o.expiresAt <= now || o.cancelRequested)) || (o.status === 'failed' && o.closedAt === null);
    return this.oldestFirst()
      .filter((o) => o.createdAt <= createdBefore && due(o))
      .slice(0, limit);
  }

  async claimForSweep(orderId: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const held = this.leases.get(orderId);
    if (held && held >= now) return false;
    this.leases.set(orderId, leaseUntil);
    return true;
  }

  private storeNotification(receipt: NotificationReceipt, orderId: string | null, applied: boolean): boolean {
    const stored = this.notifications.get(receipt.dedupeKey);
    if (stored) {
      stored.repeatCount += 1;
      stored.applied ||= applied;
      return false;
    }
    this.notifications.set(receipt.dedupeKey, { ...receipt, orderId, applied, repeatCount: 0 });
    return true;
  }

  private recordAnomaly(orderId: string, kind: PaymentAnomalyKind, transactionId: string): boolean {
    if (this.anomalies.some((a) => a.orderId === orderId && a.kind === kind && a.transactionId === transactionId)) return false;
    this.anomalies.push({ orderId, kind, transactionId });
    return true;
  }

  private oldestFirst(): OrderRecord[] {
    return [...this.orders.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((o) => ({ ...o }));
  }

  private get(id: string): OrderRecord {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    return order;
  }

  private update(id: string, fields: Partial<OrderRecord>): void {
    this.orders.set(id, { ...this.get(id), ...fields });
  }
}
