import { WxPayValidationError } from './errors';
import { parseIntField, parseOptionalIntField, requireOutTradeNo, requireReceived } from './field-rules';
import type { V2Merchant } from './merchant';
import { parseOptionalRefundTime, requireOutRefundNo, requireWxPayId } from './refund-fields';
import { requireRefundStatus, type RefundStatus } from './refund-status';
import { buildV2Request, type V2Request } from './v2-request';
import { checkV2Response } from './v2-response';

/** `POST https://api.mch.weixin.qq.com/pay/refundquery` (no client certificate). */
export const REFUNDQUERY_PATH = '/pay/refundquery';

/**
 * One key (WeChat's priority refund_id > out_refund_no > transaction_id > out_trade_no would
 * silently ignore the others), or transaction_id with refund_id (for orders paid > 18 months ago).
 * `offset` pages through the refunds of an order (10 per answer), so only with an order key.
 */
export type RefundQueryInput =
  | { refundId: string; transactionId?: string }
  | { outRefundNo: string }
  | { transactionId: string; offset?: number }
  | { outTradeNo: string; offset?: number };

export interface RefundQueryCoupon {
  id: string;
  /** CASH or NO_CASH when WeChat says so. */
  type?: string;
  /** fen */
  fee: number;
}

/** One `_$n` group of a refundquery answer. Amounts are integer fen. */
export interface RefundQueryItem {
  outRefundNo: string;
  refundId: string;
  refundStatus: RefundStatus;
  /** The requested refund amount. */
  refundFee: number;
  settlementRefundFee?: number;
  couponRefundFee?: number;
  coupons: RefundQueryCoupon[];
  /** ORIGINAL, BALANCE, OTHER_BALANCE, OTHER_BANKCARD (kept as received). */
  refundChannel?: string;
  /** REFUND_SOURCE_RECHARGE_FUNDS / REFUND_SOURCE_UNSETTLED_FUNDS (kept as received). */
  refundAccount?: string;
  /** Wire `refund_recv_accout` (sic): where the money went, e.g. 支付用户零钱. */
  refundRecvAccount?: string;
  /** `yyyy-MM-dd HH:mm:ss` Beijing time, only once SUCCESS. */
  refundSuccessTime?: string;
}

export interface RefundQueryResult {
  transactionId: string;
  outTradeNo: string;
  totalFee: number;
  settlementTotalFee?: number;
  cashFee?: number;
  feeType?: string;
  /** Refunds on the order when WeChat says so (with offset, or more than 10 refunds). */
  totalRefundCount?: number;
  /** refund_count: the refunds in this answer, in `_$n` order. */
  refunds: RefundQueryItem[];
  /** The verified response fields. */
  raw: Record<string, string>;
}

function requireOffset(value: unknown): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new WxPayValidationError('FIELD_INVALID', 'offset', `offset ${String(value)} must be an integer ≥ 0`);
  }
  return String(value);
}

export function buildRefundQueryRequest(query: RefundQueryInput, merchant: V2Merchant, nonceStr: string): V2Request {
  const q = query as Partial<Record<'refundId' | 'outRefundNo' | 'transactionId' | 'outTradeNo' | 'offset', unknown>>;
  const given = (['refundId', 'outRefundNo', 'transactionId', 'outTradeNo'] as const).filter((name) => q[name] !== undefined);
  const allowed = given.length === 1 || (given.length === 2 && given[0] === 'refundId' && given[1] === 'transactionId');
  if (!allowed) {
    throw new WxPayValidationError(
      given.length === 0 ? 'FIELD_MISSING' : 'FIELD_INVALID',
      'out_refund_no',
      given.length === 0
        ? 'give one of refund_id, out_refund_no, transaction_id and out_trade_no'
        : `give one of refund_id, out_refund_no, transaction_id and out_trade_no (or transaction_id with refund_id), not ${given.length}`,
    );
  }
  if (q.offset !== undefined && (q.refundId !== undefined || q.outRefundNo !== undefined)) {
    throw new WxPayValidationError('FIELD_INVALID', 'offset', 'offset pages through an order: use it with transaction_id or out_trade_no only');
  }
  return buildV2Request(
    {
      transaction_id: q.transactionId === undefined ? undefined : requireWxPayId(q.transactionId, 'transaction_id'),
      out_trade_no: q.outTradeNo === undefined ? undefined : requireOutTradeNo(q.outTradeNo),
      out_refund_no: q.outRefundNo === undefined ? undefined : requireOutRefundNo(q.outRefundNo),
      refund_id: q.refundId === undefined ? undefined : requireWxPayId(q.refundId, 'refund_id'),
      offset: q.offset === undefined ? undefined : requireOffset(q.offset),
    },
    merchant,
    nonceStr,
  );
}

/** At most 50 partial refunds per order; one answer carries 10 of them. */
const MAX_REFUNDS = 50;
const MAX_COUPONS = 100;

const ITEM_FIELD_RE =
  /^(?:out_refund_no|refund_id|refund_channel|refund_fee|settlement_refund_fee|coupon_refund_fee|coupon_refund_count|refund_status|refund_account|refund_recv_accout|refund_success_time)_(0|[1-9][0-9]*)$/;
const COUPON_FIELD_RE = /^(?:coupon_type|coupon_refund_id|coupon_refund_fee)_(0|[1-9][0-9]*)_(0|[1-9][0-9]*)$/;

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/**
 * An indexed field beyond refund_count (or coupon_refund_count_$n) means the counts and the list
 * disagree; a refund must not be dropped silently, so the answer is refused.
 */
function checkNoStrayIndex(fields: Record<string, string>, refundCount: number, couponCounts: readonly number[]): void {
  for (const name of Object.keys(fields)) {
    const coupon = COUPON_FIELD_RE.exec(name);
    if (coupon !== null) {
      const n = Number(coupon[1]);
      if (n >= refundCount || Number(coupon[2]) >= (couponCounts[n] ?? 0)) {
        throw new WxPayValidationError('FIELD_INVALID', name, `${name} is beyond refund_count/coupon_refund_count_${coupon[1]}`, fields);
      }
      continue;
    }
    const item = ITEM_FIELD_RE.exec(name);
    if (item !== null && Number(item[1]) >= refundCount) {
      throw new WxPayValidationError('FIELD_INVALID', name, `${name} is beyond refund_count ${refundCount}`, fields);
    }
  }
}

function readItem(fields: Record<string, string>, n: number): RefundQueryItem {
  const couponCount = parseOptionalIntField(fields[`coupon_refund_count_${n}`], `coupon_refund_count_${n}`, fields) ?? 0;
  if (couponCount > MAX_COUPONS) {
    throw new WxPayValidationError('FIELD_INVALID', `coupon_refund_count_${n}`, `coupon_refund_count_${n} ${couponCount} is implausible`, fields);
  }
  const coupons: RefundQueryCoupon[] = [];
  for (let m = 0; m < couponCount; m++) {
    const type = nonEmpty(fields[`coupon_type_${n}_${m}`]);
    coupons.push({
      id: requireReceived(fields, `coupon_refund_id_${n}_${m}`),
      ...(type === undefined ? {} : { type }),
      fee: parseIntField(fields[`coupon_refund_fee_${n}_${m}`], `coupon_refund_fee_${n}_${m}`, fields),
    });
  }
  return {
    outRefundNo: requireReceived(fields, `out_refund_no_${n}`),
    refundId: requireReceived(fields, `refund_id_${n}`),
    refundStatus: requireRefundStatus(fields, `refund_status_${n}`),
    refundFee: parseIntField(fields[`refund_fee_${n}`], `refund_fee_${n}`, fields),
    settlementRefundFee: parseOptionalIntField(fields[`settlement_refund_fee_${n}`], `settlement_refund_fee_${n}`, fields),
    couponRefundFee: parseOptionalIntField(fields[`coupon_refund_fee_${n}`], `coupon_refund_fee_${n}`, fields),
    coupons,
    refundChannel: nonEmpty(fields[`refund_channel_${n}`]),
    refundAccount: nonEmpty(fields[`refund_account_${n}`]),
    refundRecvAccount: nonEmpty(fields[`refund_recv_accout_${n}`]),
    refundSuccessTime: parseOptionalRefundTime(fields, `refund_success_time_${n}`),
  };
}

/**
 * Checks a refundquery response and maps the `_$n` / `_$n_$m` fields to `refunds`. An unknown
 * refund_status is refused (FIELD_INVALID naming `refund_status_$n`). `result_code=FAIL`
 * (REFUNDNOTEXIST: no refund under that key; SYSTEMERROR: retry) → `WxPayResultError`.
 */
export function parseRefundQueryResponse(xml: string, merchant: V2Merchant): RefundQueryResult {
  const fields = checkV2Response(xml, merchant);
  const refundCount = parseIntField(fields.refund_count, 'refund_count', fields);
  if (refundCount > MAX_REFUNDS) {
    throw new WxPayValidationError('FIELD_INVALID', 'refund_count', `refund_count ${refundCount} is implausible`, fields);
  }
  const refunds: RefundQueryItem[] = [];
  for (let n = 0; n < refundCount; n++) refunds.push(readItem(fields, n));
  checkNoStrayIndex(fields, refundCount, refunds.map((refund) => refund.coupons.length));
  return {
    transactionId: requireReceived(fields, 'transaction_id'),
    outTradeNo: requireReceived(fields, 'out_trade_no'),
    totalFee: parseIntField(fields.total_fee, 'total_fee', fields),
    settlementTotalFee: parseOptionalIntField(fields.settlement_total_fee, 'settlement_total_fee', fields),
    cashFee: parseOptionalIntField(fields.cash_fee, 'cash_fee', fields),
    feeType: nonEmpty(fields.fee_type),
    totalRefundCount: parseOptionalIntField(fields.total_refund_count, 'total_refund_count', fields),
    refunds,
    raw: fields,
  };
}
