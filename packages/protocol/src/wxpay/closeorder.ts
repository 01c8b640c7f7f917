import { requireOutTradeNo } from './field-rules';
import type { V2Merchant } from './merchant';
import { buildV2Request, type V2Request } from './v2-request';
import { checkV2Response } from './v2-response';

/** `POST https://api.mch.weixin.qq.com/pay/closeorder` (not earlier than 5 minutes after ordering). */
export const CLOSEORDER_PATH = '/pay/closeorder';

/** err_code values of closeorder and what the caller should do about them. */
export const CLOSEORDER_ERR_CODES = {
  /** Paid after all: treat as paid, confirm with orderquery. */
  ORDERPAID: 'ORDERPAID',
  /** Already closed: nothing to do. */
  ORDERCLOSED: 'ORDERCLOSED',
  /** Retry with the same parameters. */
  SYSTEMERROR: 'SYSTEMERROR',
  ORDERNOTEXIST: 'ORDERNOTEXIST',
} as const;

export function buildCloseOrderRequest(query: { outTradeNo: string }, merchant: V2Merchant, nonceStr: string): V2Request {
  return buildV2Request(
    { out_trade_no: requireOutTradeNo(query.outTradeNo) },
    merchant,
    nonceStr,
  );
}

/**
 * Returns when the order is closed. Otherwise throws: `WxPayResultError` with `errCode`
 * ORDERPAID, ORDERCLOSED, SYSTEMERROR, ORDERNOTEXIST, …; or the return/signature/merchant errors.
 */
export function parseCloseOrderResponse(xml: string, merchant: V2Merchant): void {
  checkV2Response(xml, merchant);
}
