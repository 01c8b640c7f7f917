/** Identifiers handed out by the BFF. All opaque and unguessable (never sequential). */
export interface IdGenerator {
  userId(): string;
  orderId(): string;
  /** ≤ 32 chars of [0-9A-Za-z], unique per merchant. */
  outTradeNo(now: Date): string;
  /** ≤ 32 chars, for v2 requests and wx.requestPayment. */
  nonceStr(): string;
  /** Primary keys for notification and event rows. */
  eventId(): string;
  refundId(): string;
  /** ≤ 64 chars of [0-9A-Za-z], unique per merchant: the refund's idempotency key at WeChat Pay. */
  outRefundNo(now: Date): string;
}
