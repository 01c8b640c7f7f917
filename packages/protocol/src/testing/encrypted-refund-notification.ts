import { buildRefundReqInfoXml } from '../wxpay/refund-notification';
import { encryptRefundReqInfo } from '../wxpay/refund-req-info-cipher';
import { buildXml } from '../wxpay/xml-codec';
import { devMerchant } from './dev-merchant';
import { refundFixtureDefaults as d } from './refund-fixture-defaults';

export interface EncryptedRefundNotificationOptions {
  /** The APIv2 key that encrypts req_info; defaults to the dev merchant's. */
  apiKey?: string;
  /** Outer fields (appid, mch_id, return_code, req_info, …); `undefined` removes one. */
  outer?: Readonly<Record<string, string | undefined>>;
}

/**
 * The XML body of a refund-result notification: a full refund of the default order that
 * succeeded. `reqInfo` overrides the decrypted fields (any name; `undefined` removes one);
 * `settlement_refund_fee` follows `refund_fee` unless overridden. Unsigned, as WeChat sends it.
 */
export function buildEncryptedRefundNotification(
  reqInfo: Readonly<Record<string, string | undefined>> = {},
  options: EncryptedRefundNotificationOptions = {},
): string {
  const refundFee = reqInfo.refund_fee ?? String(d.totalFee);
  const plain: Record<string, string> = {
    out_refund_no: d.outRefundNo,
    out_trade_no: d.outTradeNo,
    refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS',
    refund_fee: refundFee,
    refund_id: d.refundId,
    refund_recv_accout: '支付用户零钱',
    refund_request_source: 'API',
    refund_status: 'SUCCESS',
    settlement_refund_fee: refundFee,
    success_time: d.successTime,
    total_fee: String(d.totalFee),
    transaction_id: d.transactionId,
  };
  for (const [name, value] of Object.entries(reqInfo)) {
    if (value === undefined) delete plain[name];
    else plain[name] = value;
  }
  const fields: Record<string, string> = {
    return_code: 'SUCCESS',
    appid: d.appId,
    mch_id: d.mchId,
    nonce_str: 'TeqClE3i0mvn3DrK',
    req_info: encryptRefundReqInfo(buildRefundReqInfoXml(plain), options.apiKey ?? devMerchant.apiKey),
  };
  for (const [name, value] of Object.entries(options.outer ?? {})) {
    if (value === undefined) delete fields[name];
    else fields[name] = value;
  }
  return buildXml(fields);
}
