/** A refund request as WeChat Pay receives it; every retry repeats it exactly (same outRefundNo). */
export interface RefundSubmission {
  /** For reporting only: the refund is addressed by transactionId. */
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  totalFen: number;
  refundFen: number;
  reason: string | null;
}

export type RefundSubmitResult =
  | { kind: 'accepted'; refundId: string }
  /** Not accepted, safe to resend with the same out_refund_no, not before `notBefore` when given. */
  | { kind: 'retry'; code: string; notBefore: Date | null }
  /** WeChat Pay will not make this refund as sent: nothing moved. */
  | { kind: 'refused'; code: string }
  /** No verifiable answer: it may have been accepted. Query it (or resend the same request). */
  | { kind: 'unknown'; code: string };

export type RefundQueryResult =
  | { kind: 'found'; status: 'processing' | 'succeeded' | 'closed' | 'abnormal'; refundId: string; refundFen: number; receivedBy: string | null; succeededAt: Date | null }
  /** WeChat Pay has no refund with this out_refund_no (REFUNDNOTEXIST): it never got the request. */
  | { kind: 'not_found' };

/** A refund-result notification that decrypted with the merchant's key (it carries no signature). */
export interface VerifiedRefundNotification {
  appId: string;
  mchId: string;
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  refundId: string;
  totalFen: number;
  refundFen: number;
  status: 'succeeded' | 'closed' | 'abnormal';
  receivedBy: string | null;
  succeededAt: Date | null;
  /** API, or VENDOR_PLATFORM for a refund started in the merchant portal. */
  requestSource: string | null;
}

/** WeChat Pay's refund API (`/secapi/pay/refund` over the merchant certificate, `/pay/refundquery`). */
export interface RefundGateway {
  submitRefund(refund: RefundSubmission): Promise<RefundSubmitResult>;
  queryRefund(refund: { outRefundNo: string; outTradeNo: string }): Promise<RefundQueryResult>;
  /** Throws NotificationRejectedError (malformed, or not decryptable with this merchant's key). */
  verifyRefundNotification(rawBody: string): VerifiedRefundNotification;
}
