/* eslint-disable @typescript-eslint/require-await -- in memory, the async ports answer at once */
import type { RefundRecord, RefundStatus } from '../../src/domain/refunds/refund-record';
import { canRefundTransition, orderStatusAfterRefunds, refundableOrderStatuses, refundHoldingStatuses, type RefundTransitionKind } from '../../src/domain/refunds/refund-lifecycle';
import type { AppliedRefundOutcome, CreateRefundResult, ExternalRefund, NewRefund, RefundOutcome, RefundPage, RefundRepository } from '../../src/domain/refunds/refund-repository';
import type { InMemoryOrderRepository } from './in-memory-order-repository';

const transitionOf: Record<RefundOutcome['status'], RefundTransitionKind> = { processing: 'accept', succeeded: 'succeed', closed: 'close', abnormal: 'abnormal' };
const statusAfter: Record<RefundTransitionKind, RefundStatus> = { accept: 'processing', succeed: 'succeeded', close: 'closed', abnormal: 'abnormal', refuse: 'refused' };

/**
 * RefundRepository in memory for the use-case unit tests, over the in-memory orders: the same
 * guards as the Kysely one (held amount within what was paid, transitions from the lifecycle
 * table, a succeeded refund moving the order). Single-threaded: each method is its own transaction.
 */
export class InMemoryRefundRepository implements RefundRepository {
  readonly refunds = new Map<string, RefundRecord>();
  private readonly idempotency = new Map<string, string>();

  constructor(private readonly orders: InMemoryOrderRepository) {}

  async create(refund: NewRefund): Promise<CreateRefundResult> {
    const order = this.orders.orders.get(refund.orderId);
    if (!order) return { kind: 'order_not_found' };
    const repeatKey = refund.idempotencyKey !== null ? `${order.id}:key:${refund.idempotencyKey}` : refund.anomalyId !== null ? `${order.id}:anomaly:${refund.anomalyId}` : null;
    const repeat = repeatKey === null ? undefined : this.refunds.get(this.idempotency.get(repeatKey) ?? '');
    if (repeat) return repeat.refundFen === refund.refundFen ? { kind: 'existing', refund: { ...repeat } } : { kind: 'idempotency_conflict', refund: { ...repeat } };
    if (refund.transactionId === order.transactionId) {
      if (!refundableOrderStatuses.includes(order.status)) return { kind: 'not_refundable', status: order.status };
      const remainingFen = order.payableFen - order.refundHeldFen;
      if (refund.refundFen > remainingFen) return { kind: 'exceeds_remaining', remainingFen };
      order.refundHeldFen += refund.refundFen;
    } else if (refund.anomalyId === null) {
      return { kind: 'not_refundable', status: order.status };
    }
    const record: RefundRecord = {
      id: refund.id,
      orderId: order.id,
      outTradeNo: order.outTradeNo,
      transactionId: refund.transactionId,
      outRefundNo: refund.outRefundNo,
      refundId: null,
      totalFen: refund.totalFen,
      refundFen: refund.refundFen,
      status: 'requested',
      source: refund.source,
      reason: refund.reason,
      anomalyId: refund.anomalyId,
      lastError: null,
      attempts: 0,
      nextAttemptAt: refund.nextAttemptAt,
      receivedBy: null,
      succeededAt: null,
      createdAt: refund.at,
      updatedAt: refund.at,
    };
    this.refunds.set(record.id, record);
    if (repeatKey !== null) this.idempotency.set(repeatKey, record.id);
    this.summarise(order.id);
    return { kind: 'created', refund: { ...record } };
  }

  async findByOutRefundNo(outRefundNo: string): Promise<RefundRecord | null> {
    const found = [...this.refunds.values()].find((refund) => refund.outRefundNo === outRefundNo);
    return found ? { ...found } : null;
  }

  async list(page: RefundPage): Promise<RefundRecord[]> {
    return [...this.refunds.values()]
      .filter((refund) => (page.orderId === undefined || refund.orderId === page.orderId) && (page.statuses === undefined || page.statuses.includes(refund.status)))
      .reverse()
      .slice(0, page.limit)
      .map((refund) => ({ ...refund }));
  }

  async listDue(now: Date, limit: number): Promise<RefundRecord[]> {
    return [...this.refunds.values()]
      .filter((refund) => (refund.status === 'requested' || refund.status === 'processing') && refund.nextAttemptAt !== null && refund.nextAttemptAt <= now)
      .slice(0, limit)
      .map((refund) => ({ ...refund }));
  }

  async recordAttempt(id: string, attempt: { error: string | null; nextAttemptAt: Date; at: Date }): Promise<void> {
    const refund = this.refunds.get(id);
    if (refund?.status !== 'requested') return;
    Object.assign(refund, { attempts: refund.attempts + 1, lastError: attempt.error, nextAttemptAt: attempt.nextAttemptAt, updatedAt: attempt.at });
  }

  async scheduleQuery(id: string, at: Date, nextAttemptAt: Date): Promise<void> {
    const refund = this.refunds.get(id);
    if (refund?.status !== 'processing') return;
    Object.assign(refund, { attempts: refund.attempts + 1, nextAttemptAt, updatedAt: at });
  }

  async applyOutcome(id: string, outcome: RefundOutcome, timing: { at: Date; nextQueryAt: Date | null }): Promise<AppliedRefundOutcome> {
    const refund = this.refunds.get(id);
    if (!refund) throw new Error(`refund ${id} does not exist`);
    const kind = transitionOf[outcome.status];
    if (!canRefundTransition(refund.status, kind)) return { kind: 'unchanged', refund: { ...refund } };
    const status = statusAfter[kind];
    Object.assign(refund, {
      status,
      refundId: refund.refundId ?? outcome.refundId,
      receivedBy: outcome.receivedBy,
      succeededAt: status === 'succeeded' ? (outcome.succeededAt ?? timing.at) : null,
      nextAttemptAt: status === 'processing' ? (timing.nextQueryAt ?? timing.at) : null,
      attempts: status === 'processing' ? 0 : refund.attempts,
      lastError: null,
      updatedAt: timing.at,
    });
    this.applyToOrder(refund);
    const order = await this.orders.findById(refund.orderId);
    if (!order) throw new Error(`order ${refund.orderId} vanished`);
    return { kind: 'applied', refund: { ...refund }, order };
  }

  async refuse(id: string, errorCode: string, at: Date): Promise<boolean> {
    const refund = this.refunds.get(id);
    if (!refund || !canRefundTransition(refund.status, 'refuse')) return false;
    Object.assign(refund, { status: 'refused', lastError: errorCode, nextAttemptAt: null, updatedAt: at });
    this.applyToOrder(refund);
    return true;
  }

  async recordExternal(external: ExternalRefund): Promise<{ kind: 'recorded' | 'duplicate'; refund: RefundRecord } | { kind: 'unknown_order' }> {
    const existing = await this.findByOutRefundNo(external.outRefundNo);
    if (existing) return { kind: 'duplicate', refund: existing };
    const order = [...this.orders.orders.values()].find((candidate) => candidate.outTradeNo === external.outTradeNo && candidate.transactionId === external.transactionId);
    if (!order) return { kind: 'unknown_order' };
    const status: RefundStatus = external.outcome.status;
    const record: RefundRecord = {
      id: `ext_${external.refundId}`,
      orderId: order.id,
      outTradeNo: order.outTradeNo,
      transactionId: external.transactionId,
      outRefundNo: external.outRefundNo,
      refundId: external.refundId,
      totalFen: external.totalFen,
      refundFen: external.refundFen,
      status,
      source: 'merchant_portal',
      reason: null,
      anomalyId: null,
      lastError: null,
      attempts: 0,
      nextAttemptAt: status === 'processing' ? external.at : null,
      receivedBy: external.outcome.receivedBy,
      succeededAt: status === 'succeeded' ? (external.outcome.succeededAt ?? external.at) : null,
      createdAt: external.at,
      updatedAt: external.at,
    };
    this.refunds.set(record.id, record);
    if (refundHoldingStatuses.includes(status)) order.refundHeldFen += record.refundFen;
    this.applyToOrder(record);
    return { kind: 'recorded', refund: { ...record } };
  }

  /** Frees a closed or refused amount; counts a succeeded one and moves the order. */
  private applyToOrder(refund: RefundRecord): void {
    const order = this.orders.orders.get(refund.orderId);
    if (!order || refund.transactionId !== order.transactionId) return;
    if (refund.status === 'closed' || refund.status === 'refused') order.refundHeldFen -= refund.refundFen;
    if (refund.status === 'succeeded') {
      order.refundedFen += refund.refundFen;
      if (refundableOrderStatuses.includes(order.status)) order.status = orderStatusAfterRefunds(order.payableFen, order.refundedFen);
    }
    this.summarise(order.id);
  }

  private summarise(orderId: string): void {
    const order = this.orders.orders.get(orderId);
    if (!order) return;
    order.refunds = [...this.refunds.values()]
      .filter((refund) => refund.orderId === orderId)
      .map((refund) => ({ id: refund.id, refundFen: refund.refundFen, status: refund.status, createdAt: refund.createdAt, succeededAt: refund.succeededAt }));
  }
}
