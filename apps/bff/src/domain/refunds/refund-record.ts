/**
 * - `requested`: the row (and its out_refund_no) is stored; WeChat Pay has not confirmed it got
 *   the request (not sent yet, a retryable refusal, or an answer that never came);
 * - `processing`: WeChat Pay accepted it; the money is on its way;
 * - `succeeded`: the money reached the buyer;
 * - `closed`: WeChat Pay closed it (REFUNDCLOSE): no money moved;
 * - `abnormal`: CHANGE, the buyer's account could not take it: an operator moves it by hand;
 * - `refused`: WeChat Pay refused the request as sent (no money moved); a new refund is needed.
 */
export type RefundStatus = 'requested' | 'processing' | 'succeeded' | 'closed' | 'abnormal' | 'refused';

/** Who asked: an operator, the automatic refund of money taken by mistake, or the merchant portal (seen in a notification). */
export type RefundSource = 'operator' | 'anomaly' | 'merchant_portal';

export interface RefundRecord {
  id: string;
  orderId: string;
  outTradeNo: string;
  /** The payment refunded: the order's own, or a second payment of it (a double payment). */
  transactionId: string;
  /** The idempotency key at WeChat Pay: persisted before the first call, reused on every retry. */
  outRefundNo: string;
  /** WeChat Pay's refund number, once it answered. */
  refundId: string | null;
  /** The refunded payment's amount (the request's total_fee). */
  totalFen: number;
  refundFen: number;
  status: RefundStatus;
  source: RefundSource;
  reason: string | null;
  anomalyId: string | null;
  /** The last refusal or failure code (err_code, or a transport failure). */
  lastError: string | null;
  attempts: number;
  /** When the sweeper next sends (requested) or queries (processing) it; null once final. */
  nextAttemptAt: Date | null;
  /** Where the money went (refund_recv_accout), once succeeded. */
  receivedBy: string | null;
  succeededAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
