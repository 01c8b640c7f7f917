import { WxPayValidationError } from './errors';
import { optionalText, requireIpAddress, requireOutTradeNo, requirePattern, requireReceived, requireText, requireUtf8Text, requireWxPayTime } from './field-rules';
import type { V2Merchant } from './merchant';
import { buildV2Request, type V2Request } from './v2-request';
import { checkV2Response } from './v2-response';
import { requireNotifyUrl } from './notify-url';
import { requireGoodsDetailJson } from './goods-detail';
import { serializeSceneInfo, type SceneInfo } from './scene-info';

export type { V2Request } from './v2-request';
export { OUT_TRADE_NO_RE } from './field-rules';

/** `POST https://api.mch.weixin.qq.com/pay/unifiedorder` */
export const UNIFIEDORDER_PATH = '/pay/unifiedorder';

/** A mini-program (JSAPI) order. Amounts are integer fen. */
/**
 * `body` is String(127) in the field table. The table does not say what is counted; WeChat's
 * "body参数长度有误" is reported for Chinese text well under 127 characters, so the limit is taken
 * as UTF-8 bytes: the stricter reading, which passes either way.
 */
export const UNIFIED_ORDER_BODY_MAX_BYTES = 127;

export interface UnifiedOrderInput {
  /** 商品描述, at most 127 bytes of UTF-8 (42 Chinese characters). */
  body: string;
  /** ≤ 32 chars of `[0-9A-Za-z_\-|*]`, unique per merchant; a retry must repeat every parameter. */
  outTradeNo: string;
  totalFee: number;
  spbillCreateIp: string;
  /** Directly reachable, no query string. */
  notifyUrl: string;
  openid: string;
  /** yyyyMMddHHmmss, Beijing time. */
  timeStart?: string;
  /** yyyyMMddHHmmss, Beijing time. */
  timeExpire?: string;
  /** Returned as is by orderquery and the pay notification: never put personal data in it. */
  attach?: string;
  goodsTag?: string;
  /** 单品优惠 JSON `{"goods_detail":[...]}`, checked for its documented members (see `serializeGoodsDetail`). */
  detail?: string;
  /** 设备号: the terminal or store, ≤ 32 printable ASCII characters. */
  deviceInfo?: string;
  /** `no_credit`: the buyer cannot pay with a credit card. */
  limitPay?: 'no_credit';
  /** `Y`: the payment message and details page show an invoice (开票) entry. */
  receipt?: 'Y';
  /** `Y`: the funds are frozen for profit sharing; `N` (or absent): not shared. */
  profitSharing?: 'Y' | 'N';
  /** The store the payment is made in. */
  sceneInfo?: SceneInfo;
}

/** device_info: String(32); the documents show ids and "WEB", so printable ASCII is the stricter reading. */
const DEVICE_INFO_RE = /^[\x21-\x7e]{1,32}$/;

function optionalChoice<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export interface UnifiedOrderResult {
  prepayId: string;
  tradeType: string;
  /** The verified response fields. */
  raw: Record<string, string>;
}

function requireTotalFee(value: unknown): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new WxPayValidationError('FIELD_INVALID', 'total_fee', `total_fee ${String(value)} must be an integer number of fen ≥ 1`);
  }
  return String(value);
}

/** Builds the signed JSAPI unifiedorder request (trade_type JSAPI, fee_type CNY). */
export function buildUnifiedOrderRequest(order: UnifiedOrderInput, merchant: V2Merchant, nonceStr: string): V2Request {
  const timeStart = order.timeStart === undefined ? undefined : requireWxPayTime(order.timeStart, 'time_start');
  const timeExpire = order.timeExpire === undefined ? undefined : requireWxPayTime(order.timeExpire, 'time_expire');
  if (timeStart !== undefined && timeExpire !== undefined && timeExpire <= timeStart) {
    throw new WxPayValidationError('FIELD_INVALID', 'time_expire', `time_expire ${timeExpire} is not after time_start ${timeStart}`);
  }
  return buildV2Request(
    {
      body: requireUtf8Text(order.body, 'body', UNIFIED_ORDER_BODY_MAX_BYTES),
      out_trade_no: requireOutTradeNo(order.outTradeNo),
      total_fee: requireTotalFee(order.totalFee),
      fee_type: 'CNY',
      spbill_create_ip: requireIpAddress(order.spbillCreateIp, 'spbill_create_ip'),
      notify_url: requireNotifyUrl(order.notifyUrl),
      trade_type: 'JSAPI',
      openid: requireText(order.openid, 'openid', 128),
      time_start: timeStart,
      time_expire: timeExpire,
      attach: optionalText(order.attach, 'attach', 127),
      goods_tag: optionalText(order.goodsTag, 'goods_tag', 32),
      detail: order.detail === undefined ? undefined : requireGoodsDetailJson(order.detail),
      device_info: order.deviceInfo === undefined ? undefined : requirePattern(order.deviceInfo, 'device_info', DEVICE_INFO_RE, '1-32 printable ASCII characters'),
      limit_pay: optionalChoice(order.limitPay, 'limit_pay', ['no_credit']),
      receipt: optionalChoice(order.receipt, 'receipt', ['Y']),
      // 字母要求大写: lower-case y/n is refused rather than silently not shared.
      profit_sharing: optionalChoice(order.profitSharing, 'profit_sharing', ['Y', 'N']),
      scene_info: order.sceneInfo === undefined ? undefined : serializeSceneInfo(order.sceneInfo),
    },
    merchant,
    nonceStr,
  );
}

/**
 * Checks a unifiedorder response (return_code, signature, merchant, result_code) and returns the
 * prepay_id. Throws `WxPayReturnError`, `WxPaySignatureError`, `WxPayValidationError` or
 * `WxPayResultError` (err_code e.g. ORDERPAID, OUT_TRADE_NO_USED, SYSTEMERROR → retry as is).
 */
export function parseUnifiedOrderResponse(xml: string, merchant: V2Merchant): UnifiedOrderResult {
  const fields = checkV2Response(xml, merchant);
  return { prepayId: requireReceived(fields, 'prepay_id'), tradeType: requireReceived(fields, 'trade_type'), raw: fields };
}
