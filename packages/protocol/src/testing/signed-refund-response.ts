import { withSign, type SignType } from '../wxpay/v2-sign';
import { buildXml } from '../wxpay/xml-codec';
import { devMerchant } from './dev-merchant';
import { refundFixtureDefaults as d } from './refund-fixture-defaults';

export interface RefundFixtureCoupon {
  id: string;
  /** CASH = 充值代金券, NO_CASH = 非充值代金券 (reduces the settlement amounts). */
  type?: 'CASH' | 'NO_CASH';
  fee: number;
}

export interface SignedRefundResponseOptions {
  signType: SignType;
  /** Defaults to the dev merchant's APIv2 key. */
  apiKey?: string;
  /** Adds coupon_refund_fee, coupon_refund_count and the `_$n` coupon fields; cash_refund_fee follows. */
  coupons?: readonly RefundFixtureCoupon[];
}

function signed(fields: Record<string, string>, overrides: Readonly<Record<string, string | undefined>>, options: SignedRefundResponseOptions): string {
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete fields[name];
    else fields[name] = value;
  }
  return buildXml(withSign(fields, options.apiKey ?? devMerchant.apiKey, options.signType));
}

/**
 * A signed `/secapi/pay/refund` answer accepting a full refund of the default order.
 * `overrides` replace fields (`undefined` removes one); amounts that derive from refund_fee follow it.
 */
export function buildSignedRefundResponse(overrides: Readonly<Record<string, string | undefined>>, options: SignedRefundResponseOptions): string {
  const refundFee = Number(overrides.refund_fee ?? d.totalFee);
  const coupons = options.coupons ?? [];
  const couponFee = coupons.reduce((sum, coupon) => sum + coupon.fee, 0);
  const noCashFee = coupons.filter((coupon) => coupon.type === 'NO_CASH').reduce((sum, coupon) => sum + coupon.fee, 0);
  const fields: Record<string, string> = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: d.appId,
    mch_id: d.mchId,
    nonce_str: 'NfsMFbUFpdbEhPXP',
    result_code: 'SUCCESS',
    transaction_id: d.transactionId,
    out_trade_no: d.outTradeNo,
    out_refund_no: d.outRefundNo,
    refund_id: d.refundId,
    refund_fee: String(refundFee),
    total_fee: String(d.totalFee),
    cash_fee: String(d.totalFee),
    cash_refund_fee: String(refundFee - couponFee),
  };
  if (coupons.length > 0) {
    fields.coupon_refund_fee = String(couponFee);
    fields.coupon_refund_count = String(coupons.length);
    fields.settlement_refund_fee = String(refundFee - noCashFee);
    coupons.forEach((coupon, n) => {
      fields[`coupon_refund_id_${n}`] = coupon.id;
      fields[`coupon_refund_fee_${n}`] = String(coupon.fee);
      if (coupon.type !== undefined) fields[`coupon_type_${n}`] = coupon.type;
    });
  }
  return signed(fields, overrides, options);
}

/** A signed refund answer with result_code=FAIL: only the common fields and err_code/err_code_des. */
export function buildSignedRefundFailResponse(errCode: string, errCodeDes: string, options: Omit<SignedRefundResponseOptions, 'coupons'>): string {
  const fields: Record<string, string> = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: d.appId,
    mch_id: d.mchId,
    nonce_str: 'NfsMFbUFpdbEhPXP',
    result_code: 'FAIL',
    err_code: errCode,
    err_code_des: errCodeDes,
  };
  return signed(fields, {}, options);
}
