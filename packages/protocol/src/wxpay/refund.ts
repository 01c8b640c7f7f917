import { WxPayValidationError } from './errors';
import { optionalText, parseIntField, parseOptionalIntField, requireOutTradeNo, requireReceived } from './field-rules';
import type { V2Merchant } from './merchant';
import { requireNotifyUrl } from './notify-url';
import { isRefundAccount, requireFen, requireOutRefundNo, requireWxPayId, type RefundAccount } from './refund-fields';
import { buildV2Request, type V2Request } from './v2-request';
import { checkV2Response } from './v2-response';

/** `POST https://api.mch.weixin.qq.com/secapi/pay/refund` (mutual TLS with the merchant API certificate). */
export const REFUND_PATH = '/secapi/pay/refund';

/** The paid order, named one way only: WeChat silently prefers transaction_id when both are sent. */
export type RefundOrderKey = { transactionId: string; outTradeNo?: undefined } | { outTradeNo: string; transactionId?: undefined };

/** A refund request. Amounts are integer fen; a retry must repeat every field, outRefundNo included. */
export type RefundInput = RefundOrderKey & {
  /** ≤ 64 chars of `[0-9A-Za-z_\-|*@]`; the idempotency key: the same number refunds once. */
  outRefundNo: string;
  /** The order's total_fee. */
  totalFee: number;
  /** 1 … totalFee (WeChat also caps the sum of refunds at the order amount). */
  refundFee: number;
  /** Shown to the user, at most 80 characters. */
  refundDesc?: string;
  /** Overrides the platform's refund notify URL; no query string. */
  notifyUrl?: string;
  refundAccount?: RefundAccount;
};

export interface RefundCoupon {
  id: string;
  /** CASH or NO_CASH when WeChat says so. */
  type?: string;
  /** fen */
  fee: number;
}

/** A refund WeChat accepted (not yet made: the outcome comes from refundquery or the notification). */
export interface RefundAccepted {
  transactionId: string;
  outTradeNo: string;
  outRefundNo: string;
  /** WeChat's refund number. */
  refundId: string;
  refundFee: number;
  totalFee: number;
  cashFee?: number;
  /** refund_fee minus non-recharge coupon refunds. */
  settlementRefundFee?: number;
  settlementTotalFee?: number;
  cashRefundFee?: number;
  couponRefundFee?: number;
  coupons: RefundCoupon[];
  feeType?: string;
  /** The verified response fields. */
  raw: Record<string, string>;
}

function orderKey(refund: RefundInput): { transaction_id?: string; out_trade_no?: string } {
  const byTransaction = refund.transactionId !== undefined;
  const byOutTradeNo = refund.outTradeNo !== undefined;
  if (byTransaction === byOutTradeNo) {
    throw new WxPayValidationError(
      byTransaction ? 'FIELD_INVALID' : 'FIELD_MISSING',
      'transaction_id',
      `give exactly one of transaction_id and out_trade_no (${byTransaction ? 'both' : 'neither'} given)`,
    );
  }
  return byTransaction ? { transaction_id: requireWxPayId(refund.transactionId, 'transaction_id') } : { out_trade_no: requireOutTradeNo(refund.outTradeNo) };
}

/** Builds the signed refund request (refund_fee_type left out: CNY, the payment's currency). */
export function buildRefundRequest(refund: RefundInput, merchant: V2Merchant, nonceStr: string): V2Request {
  const key = orderKey(refund);
  const totalFee = requireFen(refund.totalFee, 'total_fee', 1);
  const refundFee = requireFen(refund.refundFee, 'refund_fee', 1);
  if (refundFee > totalFee) {
    throw new WxPayValidationError('FIELD_INVALID', 'refund_fee', `refund_fee ${refundFee} exceeds total_fee ${totalFee}`);
  }
  if (refund.refundAccount !== undefined && !isRefundAccount(refund.refundAccount)) {
    throw new WxPayValidationError('FIELD_INVALID', 'refund_account', `refund_account ${JSON.stringify(refund.refundAccount)} is not a refund fund source`);
  }
  return buildV2Request(
    {
      ...key,
      out_refund_no: requireOutRefundNo(refund.outRefundNo),
      total_fee: String(totalFee),
      refund_fee: String(refundFee),
      refund_desc: optionalText(refund.refundDesc, 'refund_desc', 80),
      notify_url: refund.notifyUrl === undefined ? undefined : requireNotifyUrl(refund.notifyUrl),
      refund_account: refund.refundAccount,
    },
    merchant,
    nonceStr,
  );
}

const MAX_COUPONS = 100;

function readCoupons(fields: Record<string, string>): RefundCoupon[] {
  const count = parseOptionalIntField(fields.coupon_refund_count, 'coupon_refund_count', fields) ?? 0;
  if (count > MAX_COUPONS) {
    throw new WxPayValidationError('FIELD_INVALID', 'coupon_refund_count', `coupon_refund_count ${count} is implausible`, fields);
  }
  const coupons: RefundCoupon[] = [];
  for (let n = 0; n < count; n++) {
    const type = fields[`coupon_type_${n}`];
    coupons.push({
      id: requireReceived(fields, `coupon_refund_id_${n}`),
      ...(type === undefined || type === '' ? {} : { type }),
      fee: parseIntField(fields[`coupon_refund_fee_${n}`], `coupon_refund_fee_${n}`, fields),
    });
  }
  return coupons;
}

function mismatch(field: string, received: string, sent: string, fields: Record<string, string>): WxPayValidationError {
  return new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(received)} is not the ${JSON.stringify(sent)} we sent`, fields);
}

/**
 * Checks a refund response (return_code, signature, merchant, result_code) and maps it.
 * `result_code=FAIL` → `WxPayResultError`: pass it to `classifyRefundFailure`. With `sent` (the
 * request's input), an answer about another refund or amount is refused with FIELD_INVALID.
 */
export function parseRefundResponse(
  xml: string,
  merchant: V2Merchant,
  sent?: Pick<RefundInput, 'outRefundNo' | 'refundFee' | 'totalFee'>,
): RefundAccepted {
  const fields = checkV2Response(xml, merchant);
  const opt = (name: string): number | undefined => parseOptionalIntField(fields[name], name, fields);
  const feeType = fields.fee_type;
  const result: RefundAccepted = {
    transactionId: requireReceived(fields, 'transaction_id'),
    outTradeNo: requireReceived(fields, 'out_trade_no'),
    outRefundNo: requireReceived(fields, 'out_refund_no'),
    refundId: requireReceived(fields, 'refund_id'),
    refundFee: parseIntField(fields.refund_fee, 'refund_fee', fields),
    totalFee: parseIntField(fields.total_fee, 'total_fee', fields),
    cashFee: opt('cash_fee'),
    settlementRefundFee: opt('settlement_refund_fee'),
    settlementTotalFee: opt('settlement_total_fee'),
    cashRefundFee: opt('cash_refund_fee'),
    couponRefundFee: opt('coupon_refund_fee'),
    coupons: readCoupons(fields),
    feeType: feeType === '' ? undefined : feeType,
    raw: fields,
  };
  if (sent !== undefined) {
    if (result.outRefundNo !== sent.outRefundNo) throw mismatch('out_refund_no', result.outRefundNo, sent.outRefundNo, fields);
    if (result.refundFee !== sent.refundFee) throw mismatch('refund_fee', String(result.refundFee), String(sent.refundFee), fields);
    if (result.totalFee !== sent.totalFee) throw mismatch('total_fee', String(result.totalFee), String(sent.totalFee), fields);
  }
  return result;
}
