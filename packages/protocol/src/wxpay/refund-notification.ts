import { WxPayCryptoError, WxPayError, WxPayReturnError, WxPayValidationError } from './errors';
import { parseIntField, parseOptionalIntField, requireNonceStr, requireReceived, requireText } from './field-rules';
import type { V2Merchant } from './merchant';
import { buildNotifyAck, buildNotifyFailAck } from './pay-notification';
import { parseOptionalRefundTime } from './refund-fields';
import { decryptRefundReqInfo, encryptRefundReqInfo } from './refund-req-info-cipher';
import { requireRefundStatus, type RefundStatus } from './refund-status';
import { checkMerchant } from './v2-response';
import { buildXml, parseXml } from './xml-codec';

/** A notification is only sent once the refund has an outcome. */
export type RefundNotificationStatus = Exclude<RefundStatus, 'PROCESSING'>;

/** A decrypted refund-result notification. Amounts are integer fen. */
export interface RefundNotification {
  appId: string;
  mchId: string;
  transactionId: string;
  outTradeNo: string;
  refundId: string;
  outRefundNo: string;
  totalFee: number;
  /** Only when a non-recharge coupon was used. */
  settlementTotalFee?: number;
  /** The requested refund amount. */
  refundFee: number;
  /** refund_fee minus non-recharge coupon refunds. */
  settlementRefundFee: number;
  refundStatus: RefundNotificationStatus;
  /** `yyyy-MM-dd HH:mm:ss` Beijing time. */
  successTime?: string;
  /** Wire `refund_recv_accout` (sic), e.g. 支付用户零钱. Display data: absent is tolerated. */
  refundRecvAccount?: string;
  /** REFUND_SOURCE_RECHARGE_FUNDS / REFUND_SOURCE_UNSETTLED_FUNDS, as received. */
  refundAccount?: string;
  /** API / VENDOR_PLATFORM (a refund started on the merchant platform), as received. */
  refundRequestSource?: string;
  /** The outer (unsigned) fields. */
  fields: Record<string, string>;
  /** The decrypted req_info fields, unknown ones included. */
  reqInfo: Record<string, string>;
}

/** `<root>…</root>` (what WeChat encrypts), optionally after an XML declaration. */
const ROOT_RE = /^(\uFEFF?(?:<\?xml[^>]*\?>)?\s*)<root>([\s\S]*)<\/root>(\s*)$/;

/** The decrypted plaintext is a flat `<root>` document; `<xml>` is accepted as well. */
function parseReqInfoXml(plaintext: string): Record<string, string> {
  const m = ROOT_RE.exec(plaintext);
  const document = m === null ? plaintext : `${m[1] ?? ''}<xml>${m[2] ?? ''}</xml>${m[3] ?? ''}`;
  try {
    return parseXml(document);
  } catch (error) {
    // With ECB, a wrong key that happens to pass the padding check lands here too.
    const code = error instanceof WxPayError ? error.code : 'XML_INVALID';
    throw new WxPayCryptoError('DECRYPT_FAILED', `req_info plaintext is not a flat <root> document (${code})`, undefined, { cause: error });
  }
}

function decryptedFields(reqInfo: Record<string, string>): Omit<RefundNotification, 'appId' | 'mchId' | 'fields' | 'reqInfo'> {
  const status = requireRefundStatus(reqInfo, 'refund_status');
  if (status === 'PROCESSING') {
    throw new WxPayValidationError('FIELD_INVALID', 'refund_status', 'refund_status "PROCESSING" is not an outcome; notifications carry only outcomes', reqInfo);
  }
  const totalFee = parseIntField(reqInfo.total_fee, 'total_fee', reqInfo);
  const refundFee = parseIntField(reqInfo.refund_fee, 'refund_fee', reqInfo);
  const settlementRefundFee = parseIntField(reqInfo.settlement_refund_fee, 'settlement_refund_fee', reqInfo);
  const settlementTotalFee = parseOptionalIntField(reqInfo.settlement_total_fee, 'settlement_total_fee', reqInfo);
  // ECB has no integrity, so amounts that cannot belong together are refused outright.
  if (refundFee < 1 || refundFee > totalFee) {
    throw new WxPayValidationError('FIELD_INVALID', 'refund_fee', `refund_fee ${refundFee} is not within 1…total_fee ${totalFee}`, reqInfo);
  }
  if (settlementRefundFee > refundFee) {
    throw new WxPayValidationError('FIELD_INVALID', 'settlement_refund_fee', `settlement_refund_fee ${settlementRefundFee} exceeds refund_fee ${refundFee}`, reqInfo);
  }
  if (settlementTotalFee !== undefined && settlementTotalFee > totalFee) {
    throw new WxPayValidationError('FIELD_INVALID', 'settlement_total_fee', `settlement_total_fee ${settlementTotalFee} exceeds total_fee ${totalFee}`, reqInfo);
  }
  const text = (name: string): string | undefined => (reqInfo[name] === '' ? undefined : reqInfo[name]);
  return {
    transactionId: requireReceived(reqInfo, 'transaction_id'),
    outTradeNo: requireReceived(reqInfo, 'out_trade_no'),
    refundId: requireReceived(reqInfo, 'refund_id'),
    outRefundNo: requireReceived(reqInfo, 'out_refund_no'),
    totalFee,
    ...(settlementTotalFee === undefined ? {} : { settlementTotalFee }),
    refundFee,
    settlementRefundFee,
    refundStatus: status,
    successTime: parseOptionalRefundTime(reqInfo, 'success_time'),
    refundRecvAccount: text('refund_recv_accout'),
    refundAccount: text('refund_account'),
    refundRequestSource: text('refund_request_source'),
  };
}

/**
 * Parses a refund-result notification body. It carries no `sign`: authenticity comes from
 * decrypting `req_info` with the merchant's APIv2 key, the outer appid/mch_id being ours, and
 * the decrypted fields being well-formed and consistent. The caller must still match them
 * against its stored refund (`checkRefundNotificationMatches`) before moving money.
 * Throws `WxPayReturnError` (return_code=FAIL), `WxPayValidationError` (MERCHANT_MISMATCH,
 * FIELD_MISSING, FIELD_INVALID, unknown refund_status) or `WxPayCryptoError('DECRYPT_FAILED')`.
 */
export function parseRefundNotification(xml: string, merchant: Pick<V2Merchant, 'appId' | 'mchId' | 'apiKey'>): RefundNotification {
  const fields = parseXml(xml);
  if (fields.return_code === 'FAIL') throw new WxPayReturnError(fields.return_msg ?? '', fields);
  if (fields.return_code !== 'SUCCESS') {
    throw new WxPayValidationError('FIELD_INVALID', 'return_code', `return_code ${JSON.stringify(fields.return_code)} is not SUCCESS`, fields);
  }
  checkMerchant(fields, merchant);
  const reqInfo = parseReqInfoXml(decryptRefundReqInfo(requireReceived(fields, 'req_info'), merchant.apiKey));
  return { appId: merchant.appId, mchId: merchant.mchId, ...decryptedFields(reqInfo), fields, reqInfo };
}

/** What the caller stored when it asked for the refund. */
export interface StoredRefund {
  outRefundNo: string;
  refundFee: number;
  totalFee: number;
  outTradeNo?: string;
  transactionId?: string;
  /** From the refund answer, when it was received. */
  refundId?: string;
}

/** Refuses a notification about another refund or amount (FIELD_INVALID naming the wire field). */
export function checkRefundNotificationMatches(notification: RefundNotification, stored: StoredRefund): void {
  const pairs: [string, string | number, string | number | undefined][] = [
    ['out_refund_no', notification.outRefundNo, stored.outRefundNo],
    ['refund_fee', notification.refundFee, stored.refundFee],
    ['total_fee', notification.totalFee, stored.totalFee],
    ['out_trade_no', notification.outTradeNo, stored.outTradeNo],
    ['transaction_id', notification.transactionId, stored.transactionId],
    ['refund_id', notification.refundId, stored.refundId],
  ];
  for (const [field, received, expected] of pairs) {
    if (expected !== undefined && received !== expected) {
      throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(received)} is not the stored ${JSON.stringify(expected)}`, notification.reqInfo);
    }
  }
}

/** The decrypted plaintext WeChat sends: a flat `<root>` document of `fields`. */
export function buildRefundReqInfoXml(fields: Readonly<Record<string, string>>): string {
  const xml = buildXml(fields);
  return `<root>${xml.slice('<xml>'.length, -'</xml>'.length)}</root>`;
}

export interface RefundNotificationInput {
  appId: string;
  mchId: string;
  nonceStr: string;
  /** The req_info fields (wire names) before encryption. */
  reqInfo: Readonly<Record<string, string>>;
}

/** Emulator side: the notification body, req_info encrypted with the merchant's APIv2 key. */
export function buildRefundNotification(input: RefundNotificationInput, apiKey: string): string {
  return buildXml({
    return_code: 'SUCCESS',
    appid: requireText(input.appId, 'appid', 32),
    mch_id: requireText(input.mchId, 'mch_id', 32),
    nonce_str: requireNonceStr(input.nonceStr),
    req_info: encryptRefundReqInfo(buildRefundReqInfoXml(input.reqInfo), apiKey),
  });
}

/** The exact SUCCESS acknowledgement, the same as for pay notifications (also for duplicates). */
export function buildRefundNotifyAck(): string {
  return buildNotifyAck();
}

/** A FAIL acknowledgement: WeChat will retry. `message` must not carry secrets. */
export function buildRefundNotifyFailAck(message: string): string {
  return buildNotifyFailAck(message);
}
