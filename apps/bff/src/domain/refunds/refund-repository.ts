import type { OrderStatus } from '@checkout/protocol/contract';
import type { OrderRecord } from '../orders/order-record';
import type { RefundRecord, RefundSource, RefundStatus } from './refund-record';

export interface NewRefund {
  id: string;
  orderId: string;
  /** The payment to refund: the order's own, or (with anomalyId) a second payment of it. */
  transactionId: string;
  outRefundNo: string;
  totalFen: number;
  refundFen: number;
  source: Exclude<RefundSource, 'merchant_portal'>;
  reason: string | null;
  anomalyId: string | null;
  /** An operator's Idempotency-Key: the same key on the same order answers the same refund. */
  idempotencyKey: string | null;
  at: Date;
  /** When the sweeper may (re)send it if nothing else settled it first. */
  nextAttemptAt: Date;
}

export type CreateRefundResult =
  | { kind: 'created'; refund: RefundRecord }
  /** The same Idempotency-Key (or the same anomaly) already has this refund. */
  | { kind: 'existing'; refund: RefundRecord }
  /** The Idempotency-Key was used for a different amount. */
  | { kind: 'idempotency_conflict'; refund: RefundRecord }
  | { kind: 'order_not_found' }
  | { kind: 'not_refundable'; status: OrderStatus }
  /** What was paid minus what is refunded or being refunded is less than asked. */
  | { kind: 'exceeds_remaining'; remainingFen: number };

/** What WeChat Pay says a refund became (answer, refundquery or notification). */
export interface RefundOutcome {
  status: 'processing' | 'succeeded' | 'closed' | 'abnormal';
  refundId: string | null;
  receivedBy: string | null;
  succeededAt: Date | null;
}

export type AppliedRefundOutcome =
  | { kind: 'applied'; refund: RefundRecord; order: OrderRecord }
  /** Already there (a repeat), or a state it may not move to from where it is. */
  | { kind: 'unchanged'; refund: RefundRecord };

/** A refund WeChat Pay reports that this shop never requested (started in the merchant portal). */
export interface ExternalRefund {
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  refundId: string;
  totalFen: number;
  refundFen: number;
  outcome: RefundOutcome;
  at: Date;
}

export interface RefundPage {
  limit: number;
  statuses?: readonly RefundStatus[];
  orderId?: string;
}

/**
 * Refunds and the money they hold, each change in one transaction guarded by the status it
 * expects. The sum of an order's holding refunds (see refundHoldingStatuses) never exceeds what
 * was paid: checked under the order's row lock and by a database constraint.
 */
export interface RefundRepository {
  create(refund: NewRefund): Promise<CreateRefundResult>;
  findByOutRefundNo(outRefundNo: string): Promise<RefundRecord | null>;
  list(page: RefundPage): Promise<RefundRecord[]>;
  /** Refunds the sweeper should send again (requested) or confirm (processing) now. */
  listDue(now: Date, limit: number): Promise<RefundRecord[]>;
  /** A send that did not settle the refund: it stays `requested` until `nextAttemptAt`. */
  recordAttempt(id: string, attempt: { error: string | null; nextAttemptAt: Date; at: Date }): Promise<void>;
  /** Schedules the next refundquery of a `processing` refund. */
  scheduleQuery(id: string, at: Date, nextAttemptAt: Date): Promise<void>;
  /**
   * Applies WeChat Pay's word; a succeeded refund moves the order to partially refunded /
   * refunded. A refund that becomes `processing` is queried at `nextQueryAt`.
   */
  applyOutcome(id: string, outcome: RefundOutcome, timing: { at: Date; nextQueryAt: Date | null }): Promise<AppliedRefundOutcome>;
  /** WeChat Pay refused the request as sent: the amount is free again. */
  refuse(id: string, errorCode: string, at: Date): Promise<boolean>;
  /** Records (once) a refund started outside this shop; `unknown_order` when no order has that payment. */
  recordExternal(refund: ExternalRefund): Promise<{ kind: 'recorded' | 'duplicate'; refund: RefundRecord } | { kind: 'unknown_order' }>;
}
