import { WxPayValidationError } from './errors';
import { parseIntField, parseOptionalIntField, requireOutTradeNo, requireReceived } from './field-rules';
import type { V2Merchant } from './merchant';
import { buildV2Request, type V2Request } from './v2-request';
import { checkV2Response } from './v2-response';

/** `POST https://api.mch.weixin.qq.com/pay/orderquery` */
export const ORDERQUERY_PATH = '/pay/orderquery';

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | 'ACCEPT';

const TRADE_STATES: ReadonlySet<string> = new Set<TradeState>([
  'SUCCESS',
  'REFUND',
  'NOTPAY',
  'CLOSED',
  'REVOKED',
  'USERPAYING',
  'PAYERROR',
  'ACCEPT',
]);

export function isTradeState(value: unknown): value is TradeState {
  return typeof value === 'string' && TRADE_STATES.has(value);
}

/**
 * False for the states that still move on their own (NOTPAY, USERPAYING, ACCEPT): keep polling.
 * Every other state is an outcome; an unpaid one (PAYERROR) is then closed by the merchant.
 */
export function isTradeStateFinal(state: TradeState): boolean {
  return state !== 'NOTPAY' && state !== 'USERPAYING' && state !== 'ACCEPT';
}

export interface OrderQueryResult {
  tradeState: TradeState;
  outTradeNo: string;
  transactionId?: string;
  totalFee?: number;
  cashFee?: number;
  openid?: string;
  /** yyyyMMddHHmmss, Beijing time. */
  timeEnd?: string;
  tradeStateDesc?: string;
  /** The verified response fields (coupon fields, attach, …). */
  raw: Record<string, string>;
}

export function buildOrderQueryRequest(query: { outTradeNo: string }, merchant: V2Merchant, nonceStr: string): V2Request {
  return buildV2Request(
    { out_trade_no: requireOutTradeNo(query.outTradeNo) },
    merchant,
    nonceStr,
  );
}

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/**
 * Checks an orderquery response and maps it. Paid means `tradeState === 'SUCCESS'` (the return
 * and result codes were checked here). `result_code=FAIL` (e.g. ORDERNOTEXIST) → `WxPayResultError`.
 */
export function parseOrderQueryResponse(xml: string, merchant: V2Merchant): OrderQueryResult {
  const fields = checkV2Response(xml, merchant);
  const tradeState = requireReceived(fields, 'trade_state');
  if (!isTradeState(tradeState)) {
    throw new WxPayValidationError('FIELD_INVALID', 'trade_state', `trade_state ${JSON.stringify(tradeState)} is unknown`, fields);
  }
  const paid = tradeState === 'SUCCESS';
  return {
    tradeState,
    outTradeNo: requireReceived(fields, 'out_trade_no'),
    // A paid order must say what was paid; the caller compares it with the stored order.
    transactionId: paid ? requireReceived(fields, 'transaction_id') : nonEmpty(fields.transaction_id),
    totalFee: paid ? parseIntField(fields.total_fee, 'total_fee', fields) : parseOptionalIntField(fields.total_fee, 'total_fee', fields),
    cashFee: parseOptionalIntField(fields.cash_fee, 'cash_fee', fields),
    openid: nonEmpty(fields.openid),
    timeEnd: nonEmpty(fields.time_end),
    tradeStateDesc: nonEmpty(fields.trade_state_desc),
    raw: fields,
  };
}
