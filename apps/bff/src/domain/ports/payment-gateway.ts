import type { RequestPaymentParams } from '@checkout/protocol/contract';
import type { SignType, UnifiedOrderParams } from '../orders/order-record';

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | 'ACCEPT';

export type TradeQueryResult =
  | {
      kind: 'found';
      /** Who the signed answer is about: compared with the stored order before anything is applied. */
      appId: string;
      mchId: string;
      outTradeNo: string;
      tradeState: TradeState;
      transactionId: string | null;
      totalFee: number | null;
      timeEnd: Date | null;
    }
  | { kind: 'not_found' };

export type CloseOutcome = 'closed' | 'already_closed' | 'paid' | 'not_found';

/**
 * WeChat Pay v2 as the domain sees it. Implementations verify every response, retry transient
 * failures with identical parameters, and throw ProviderUnavailableError / ProviderRejectedError.
 */
export interface PaymentGateway {
  unifiedOrder(input: { outTradeNo: string; signType: SignType; params: UnifiedOrderParams }): Promise<{ prepayId: string }>;
  /**
   * orderquery. With `transactionId` the query names that payment (WeChat Pay prefers it over
   * out_trade_no); `outTradeNo` is then the order the answer is expected to be about.
   */
  queryOrder(input: { outTradeNo: string; transactionId?: string; signType: SignType }): Promise<TradeQueryResult>;
  closeOrder(input: { outTradeNo: string; signType: SignType }): Promise<CloseOutcome>;
  /** Signs the wx.requestPayment parameters (the key stays in the adapter). */
  requestPayment(input: { prepayId: string; signType: SignType; timestampSeconds: number; nonceStr: string }): RequestPaymentParams;
}

export type NotificationRejectReason = 'malformed' | 'bad_signature' | 'unknown_order' | 'merchant_mismatch' | 'amount_mismatch' | 'sign_type_mismatch';

/** A pay-result notification whose signature has been verified (nothing else checked yet). */
export interface VerifiedPayNotification {
  outcome: 'SUCCESS' | 'FAIL';
  appId: string;
  mchId: string;
  outTradeNo: string;
  /** Present on SUCCESS (the adapter rejects a SUCCESS without it). */
  transactionId: string | null;
  totalFee: number;
  timeEnd: Date | null;
  errCode: string | null;
  /** The algorithm the signature verified with: must be the order's. */
  signType: SignType;
  /** Hash of every field but nonce_str and sign: identical content, identical key. */
  dedupeKey: string;
  /** Optional fields of an undocumented shape (kept raw, logged and counted, never refused). */
  unexpectedShapes: string[];
}

/** The notification body cannot be trusted (malformed, DOCTYPE, bad or missing signature). */
export class NotificationRejectedError extends Error {
  override name = 'NotificationRejectedError';
  constructor(
    readonly reason: NotificationRejectReason,
    /** Stable code from the parser, e.g. SIGN_INVALID or XML_DOCTYPE_FORBIDDEN. */
    readonly detailCode: string,
  ) {
    super(`pay notification rejected: ${reason} (${detailCode})`);
  }
}

/** Verifies the raw notification body; throws NotificationRejectedError. */
export interface NotificationVerifier {
  verifyNotification(rawBody: string): VerifiedPayNotification;
}
