/**
 * Money WeChat Pay took that the shop did not expect. Each is recorded once per (order, kind,
 * transaction) and stays `open` until it is refunded or an operator resolves it.
 * - `double_payment`: a second transaction_id for an order that is already paid;
 * - `paid_after_close`: a payment on an order that was closed, cancelled or failed (recorded as
 *   paid, since the money must not be lost).
 */
export type PaymentAnomalyKind = 'double_payment' | 'paid_after_close';

export interface PaymentAnomalyRecord {
  id: string;
  orderId: string;
  outTradeNo: string;
  kind: PaymentAnomalyKind;
  transactionId: string;
  amountFen: number;
  status: string;
  detail: string;
  detectedAt: Date;
}

export interface PaymentAnomalyPage {
  limit: number;
  /** Keyset cursor: anomalies strictly older than this (detectedAt desc, id desc). */
  before?: { detectedAt: Date; id: string };
  status?: string;
}

/** Read side for operators; anomalies are written by the order repository inside the payment transaction. */
export interface PaymentAnomalyRepository {
  list(page: PaymentAnomalyPage): Promise<PaymentAnomalyRecord[]>;
}
