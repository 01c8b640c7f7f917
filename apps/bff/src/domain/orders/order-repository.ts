import type { OrderRecord, SubsidyClaimRecord } from './order-record';

export type NewOrder = Omit<OrderRecord, 'prepayId' | 'prepayExpiresAt' | 'transactionId' | 'paidAt' | 'closedAt' | 'lastQueriedAt' | 'lastFailureCode' | 'cancelRequested' | 'status' | 'paidAfterClose' | 'refundHeldFen' | 'refundedFen' | 'refunds'> & {
  subsidy: SubsidyClaimRecord | null;
};

/** Every distinct verified pay-result notification is kept once with its raw body, applied or not; repeats are counted. */
export interface NotificationReceipt {
  /** Same content (all fields but nonce_str and sign) → same key: one row, repeat_count grows. */
  dedupeKey: string;
  outTradeNo: string;
  transactionId: string | null;
  outcome: 'SUCCESS' | 'FAIL';
  errCode: string | null;
  rawBody: string;
  receivedAt: Date;
}

export type PaymentTarget = Pick<OrderRecord, 'id' | 'status' | 'appId' | 'mchId' | 'payableFen' | 'transactionId' | 'signType'>;

export type PaidTransition =
  /** This call moved the order to paid; `paidAfterClose` when it had been closed, cancelled or failed (recorded as an anomaly). */
  | { kind: 'applied'; order: OrderRecord; paidAfterClose: boolean }
  /** Already paid with the same transaction id (a duplicate notification). */
  | { kind: 'already_paid'; order: OrderRecord }
  /**
   * Paid with another transaction id (`doublePayment`: recorded as an anomaly, `newAnomaly` the
   * first time this transaction is seen), or the transaction id belongs to another order.
   */
  | { kind: 'conflict'; order: OrderRecord | null; doublePayment: boolean; newAnomaly: boolean };

export interface MarkPaidInput {
  orderId: string;
  transactionId: string;
  paidAt: Date;
  source: 'notify' | 'orderquery';
  notification?: NotificationReceipt;
}

export interface OrderPage {
  limit: number;
  /** Keyset cursor: orders strictly older than this (createdAt desc, id desc). */
  before?: { createdAt: Date; id: string };
}

/** A status change other than pay (see `orderTransitions`). */
export type StatusChange = { kind: 'close'; at: Date; reason: string } | { kind: 'fail'; at: Date; failureCode: string };

/**
 * Orders persistence. Every status change is the conditional update that `orderTransitions` and
 * `orderUpdates` define (guarded by the current status), so it holds with several processes on
 * one database.
 */
export interface OrderRepository {
  /** Inserts order, items and subsidy claim in one transaction. `duplicate_idempotency_key` when the (user, key) pair exists. */
  create(order: NewOrder): Promise<'created' | 'duplicate_idempotency_key'>;
  findById(id: string): Promise<OrderRecord | null>;
  /** What a pay-result notification is checked against, without the items (the notify hot path). */
  findPaymentTarget(outTradeNo: string): Promise<PaymentTarget | null>;
  findByIdempotencyKey(userId: string, key: string): Promise<OrderRecord | null>;
  listForUser(userId: string, page: OrderPage): Promise<OrderRecord[]>;
  /**
   * Stores a new prepay_id on a pending order with its `prepay` event, in one transaction, and
   * returns the order as stored; null (nothing written) once the order is no longer pending.
   */
  setPrepay(order: OrderRecord, prepay: { prepayId: string; expiresAt: Date; at: Date }): Promise<OrderRecord | null>;
  /** The `pay` transition, exactly once per order; stores the notification and any anomaly in the same transaction. */
  markPaid(input: MarkPaidInput): Promise<PaidTransition>;
  /** Stores a verified notification that changed nothing (FAIL outcome); `repeat` when its content was stored before (only counted). */
  recordNotification(receipt: NotificationReceipt, orderId: string | null): Promise<'stored' | 'repeat'>;
  /** Applies `close` or `fail`. False (nothing written) when the order's status does not allow it. */
  transition(orderId: string, change: StatusChange): Promise<boolean>;
  /** A failed order was closed at WeChat Pay (closed_at set, status stays failed). False when already recorded or not failed. */
  markFailedClosed(orderId: string, closedAt: Date): Promise<boolean>;
  /** Remembers why the last attempt on a pending order failed. False (nothing written) when it is no longer pending. */
  recordFailedAttempt(orderId: string, failureCode: string, at: Date): Promise<boolean>;
  /** Sets cancel_requested on a pending order. False when it was no longer pending. */
  requestCancel(orderId: string, at: Date): Promise<boolean>;
  recordQueried(orderId: string, at: Date): Promise<void>;
  recordEvent(orderId: string, kind: string, detail: string, at: Date): Promise<void>;
  /** Pending orders created before `createdBefore` and not queried since `queriedBefore`. */
  listDueForQuery(createdBefore: Date, queriedBefore: Date, limit: number): Promise<OrderRecord[]>;
  /**
   * Orders to close at WeChat Pay, created before `createdBefore`: pending ones that expired
   * before `now` or have cancel requested, and failed ones not closed there yet (a PAYERROR order
   * left open could be paid later: a double charge once the buyer has paid a new order).
   */
  listDueForClose(createdBefore: Date, now: Date, limit: number): Promise<OrderRecord[]>;
  /** Claims an order for one sweeper run (lease), so concurrent sweepers skip each other's work. */
  claimForSweep(orderId: string, now: Date, leaseUntil: Date): Promise<boolean>;
}
