/**
 * What a day's bill and our books can disagree on. Payment kinds are about an out_trade_no,
 * refund kinds about an out_refund_no.
 * - `paid_not_here`: WeChat Pay took the money, our order is not paid (a lost notification):
 *   recovered through orderquery and the normal paid transition, never from the bill alone;
 * - `paid_not_in_bill`: paid here, absent from WeChat Pay's bill of that day;
 * - `unknown_order`: a payment in the bill for an out_trade_no we never created;
 * - `amount_mismatch` / `merchant_mismatch`: the bill's amount, appid or mch_id differ from ours;
 * - `duplicate_transaction`: one transaction_id twice in the bill, or two transactions for one order;
 * - `refund_not_here` / `refund_not_in_bill` / `refund_amount_mismatch`: a refund on one side only, or with another amount.
 */
export const discrepancyKinds = [
  'paid_not_here',
  'paid_not_in_bill',
  'unknown_order',
  'amount_mismatch',
  'merchant_mismatch',
  'duplicate_transaction',
  'refund_not_here',
  'refund_not_in_bill',
  'refund_amount_mismatch',
] as const;
export type DiscrepancyKind = (typeof discrepancyKinds)[number];

/** `open` until an operator resolves it (with a note), or `recovered` when the job fixed it (a lost payment applied). */
export type DiscrepancyStatus = 'open' | 'recovered' | 'resolved';

export interface Discrepancy {
  kind: DiscrepancyKind;
  outTradeNo: string;
  transactionId: string | null;
  outRefundNo: string | null;
  /** Our amount and the bill's, in fen, when the kind has them. */
  ourFen: number | null;
  billFen: number | null;
  /** What differs, without personal data. */
  detail: string;
  status: DiscrepancyStatus;
}

export interface DiscrepancyRecord extends Discrepancy {
  id: string;
  runId: string;
  billDate: string;
  detectedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}
