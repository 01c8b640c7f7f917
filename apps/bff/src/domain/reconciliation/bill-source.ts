/** A bill row as reconciliation needs it (amounts in fen). */
export type BillRow =
  | { kind: 'payment'; appId: string; mchId: string; outTradeNo: string; transactionId: string; totalFen: number; tradeTime: Date }
  | { kind: 'refund'; appId: string; mchId: string; outTradeNo: string; transactionId: string; outRefundNo: string; refundId: string; refundFen: number; tradeTime: Date };

export type BillFetch =
  /** Rows as they stream in; the iteration throws if the bill turns out corrupt (summary disagrees). */
  | { kind: 'bill'; rows: AsyncIterable<BillRow> }
  /** WeChat Pay had no successful trade that day: an empty bill. */
  | { kind: 'no_trades' }
  /** Not built yet (or WeChat Pay asks to retry): try again later. */
  | { kind: 'not_ready'; reason: string };

/** WeChat Pay's daily trade bill (`/pay/downloadbill`, bill type ALL) of one Beijing day. */
export interface BillSource {
  fetchDay(billDate: string): Promise<BillFetch>;
}
