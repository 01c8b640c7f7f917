import { buildXml } from '@checkout/protocol/wxpay';
import type { EmulatorRefund } from '../emulator-types';
import { newNonceStr } from '../state/ids';
import { encryptReqInfo } from './req-info-cipher';

/** The decrypted req_info fields, exactly those of the notification's field table. */
export function refundReqInfoFields(refund: EmulatorRefund): Record<string, string> {
  const fields: Record<string, string> = {
    transaction_id: refund.transactionId,
    out_trade_no: refund.outTradeNo,
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    total_fee: String(refund.totalFee),
    // settlement_total_fee only appears with a non-recharge coupon: the emulator has none.
    refund_fee: String(refund.refundFee),
    settlement_refund_fee: String(refund.settlementRefundFee),
    refund_status: refund.refundStatus,
    refund_recv_accout: refund.refundRecvAccout,
    refund_account: refund.refundAccount,
    refund_request_source: refund.refundRequestSource,
  };
  if (refund.successTime !== undefined) fields.success_time = refund.successTime;
  return fields;
}

/**
 * The refund-result notification body: return_code, appid, mch_id, nonce_str and req_info, no
 * sign (authenticity comes from the encryption). The plaintext root is `<root>`, not `<xml>`.
 */
export function refundNotificationXml(refund: EmulatorRefund, apiKey: string): string {
  const inner = buildXml(refundReqInfoFields(refund));
  const plaintext = `<root>${inner.slice('<xml>'.length, -'</xml>'.length)}</root>`;
  return buildXml({
    return_code: 'SUCCESS',
    appid: refund.appId,
    mch_id: refund.mchId,
    nonce_str: newNonceStr(),
    req_info: encryptReqInfo(plaintext, apiKey),
  });
}
