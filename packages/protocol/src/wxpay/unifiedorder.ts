import { WxPayValidationError } from './errors';
import { optionalText, requireIpAddress, requireOutTradeNo, requireReceived, requireText, requireUtf8Text, requireWxPayTime } from './field-rules';
import type { V2Merchant } from './merchant';
import { buildV2Request, type V2Request } from './v2-request';
import { checkV2Response } from './v2-response';
import { requireNotifyUrl } from './notify-url';

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
  attach?: string;
  goodsTag?: string;
  /** JSON string (单品优惠 goods_detail). */
  detail?: string;
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
      detail: optionalText(order.detail, 'detail', 6000),
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
