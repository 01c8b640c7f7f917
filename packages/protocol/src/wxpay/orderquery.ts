import { WxPayValidationError } from './errors';
import { parseIntField, parseOptionalIntField, requireOutTradeNo, requireReceived } from './field-rules';
import type { V2Merchant } from './merchant';
import { buildV2Request, type V2Request } from './v2-request';
import { checkV2Response } from './v2-response';
import { requireWxPayId } from './refund-fields';
import { readCoupons, type NotificationCoupon } from './payment-coupons';

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
  deviceInfo?: string;
  /** 付款银行, e.g. CMC or CCB_DEBIT. */
  bankType?: string;
  attach?: string;
  /** Only when a no-cash (NO_CASH) coupon was used: total_fee minus that coupon. */
  settlementTotalFee?: number;
  /** Sum of the coupons, fen; totalFee − couponFee = cashFee. */
  couponFee?: number;
  coupons: NotificationCoupon[];
  /** Optional fields of an undocumented shape (e.g. `coupon_id` without its index), kept in `raw`. */
  unexpectedShapes: string[];
  /** The verified response fields. */
  raw: Record<string, string>;
}

/**
 * The order to query, named one way only. transaction_id is preferred by WeChat when both are sent,
 * so a caller that has it (e.g. from a notification about an unexpected order) names it alone.
 */
export type OrderQueryKey = { outTradeNo: string; transactionId?: undefined } | { transactionId: string; outTradeNo?: undefined };

export function buildOrderQueryRequest(query: OrderQueryKey, merchant: V2Merchant, nonceStr: string): V2Request {
  const byTransaction = query.transactionId !== undefined;
  if (byTransaction === (query.outTradeNo !== undefined)) {
    throw new WxPayValidationError(
      byTransaction ? 'FIELD_INVALID' : 'FIELD_MISSING',
      'transaction_id',
      `give exactly one of transaction_id and out_trade_no (${byTransaction ? 'both' : 'neither'} given)`,
    );
  }
  const key = byTransaction ? { transaction_id: requireWxPayId(query.transactionId, 'transaction_id') } : { out_trade_no: requireOutTradeNo(query.outTradeNo) };
  return buildV2Request(key, merchant, nonceStr);
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
  const unexpectedShapes: string[] = [];
  const coupons = readCoupons(fields, unexpectedShapes);
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
    deviceInfo: nonEmpty(fields.device_info),
    bankType: nonEmpty(fields.bank_type),
    attach: nonEmpty(fields.attach),
    settlementTotalFee: parseOptionalIntField(fields.settlement_total_fee, 'settlement_total_fee', fields),
    couponFee: parseOptionalIntField(fields.coupon_fee, 'coupon_fee', fields),
    coupons,
    unexpectedShapes,
    raw: fields,
  };
}
