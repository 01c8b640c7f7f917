import { devMerchant } from '../src/testing/dev-merchant';
import type { V2Merchant } from '../src/wxpay/merchant';
import type { UnifiedOrderInput } from '../src/wxpay/unifiedorder';
import { signV2 } from '../src/wxpay/v2-sign';

export const merchant: V2Merchant = {
  appId: devMerchant.appId,
  mchId: devMerchant.mchId,
  apiKey: devMerchant.apiKey,
  signType: 'MD5',
};
export const hmacMerchant: V2Merchant = { ...merchant, signType: 'HMAC-SHA256' };

export const nonceStr = '5K8264ILTKCH16CQ2502SI8ZNMTM67VS';

export const order: UnifiedOrderInput = {
  body: '示例电器旗舰店-变频空调 1.5匹',
  outTradeNo: 'T20251125161500000001',
  totalFee: 399900,
  spbillCreateIp: '203.0.113.10',
  notifyUrl: 'https://shop.example.com/wxpay/notify',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  timeStart: '20251125161500',
  timeExpire: '20251125163500',
  attach: 'store=SZ01',
};

/** The same unifiedorder request as a wire map, for the peers (which take wire maps). */
export const unifiedOrderWire: Record<string, string> = {
  appid: merchant.appId,
  mch_id: merchant.mchId,
  nonce_str: nonceStr,
  body: order.body,
  out_trade_no: order.outTradeNo,
  total_fee: String(order.totalFee),
  fee_type: 'CNY',
  spbill_create_ip: order.spbillCreateIp,
  notify_url: order.notifyUrl,
  trade_type: 'JSAPI',
  openid: order.openid,
  time_start: order.timeStart ?? '',
  time_expire: order.timeExpire ?? '',
  attach: order.attach ?? '',
};

/** A paid notification with two coupons, every value in CDATA as WeChat sends it. */
const notificationFields: Record<string, string> = {
  appid: merchant.appId,
  bank_type: 'CMC',
  cash_fee: '399750',
  cash_fee_type: 'CNY',
  coupon_count: '2',
  coupon_fee: '150',
  coupon_fee_0: '100',
  coupon_fee_1: '50',
  coupon_id_0: '10000',
  coupon_id_1: '10001',
  coupon_type_0: 'NO_CASH',
  coupon_type_1: 'CASH',
  fee_type: 'CNY',
  is_subscribe: 'N',
  mch_id: merchant.mchId,
  nonce_str: '5d2b6c2a8db53831f7eda20af46e531c',
  openid: order.openid,
  out_trade_no: order.outTradeNo,
  result_code: 'SUCCESS',
  return_code: 'SUCCESS',
  settlement_total_fee: '399800',
  time_end: '20251125161802',
  total_fee: String(order.totalFee),
  trade_type: 'JSAPI',
  transaction_id: '4200002345202511251234567890',
};

export const notificationXml =
  '<xml>' +
  Object.entries({ ...notificationFields, sign: signV2(notificationFields, merchant.apiKey, 'MD5') })
    .map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`)
    .join('') +
  '</xml>';
