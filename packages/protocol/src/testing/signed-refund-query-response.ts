import { withSign, type SignType } from '../wxpay/v2-sign';
import { buildXml } from '../wxpay/xml-codec';
import { devMerchant } from './dev-merchant';
import { refundFixtureDefaults as d } from './refund-fixture-defaults';
import type { RefundFixtureCoupon } from './signed-refund-response';

/** One refund of the answer, written as its `_$n` fields. */
export interface RefundQueryFixtureRefund {
  outRefundNo: string;
  refundId: string;
  refundFee: number;
  /** Any text, so that unknown statuses can be tested. */
  refundStatus: string;
  /** Defaults to refundFee minus NO_CASH coupons. */
  settlementRefundFee?: number;
  refundChannel?: string;
  refundAccount?: string;
  /** Wire `refund_recv_accout_$n`; defaults to 支付用户零钱. */
  refundRecvAccout?: string;
  /** `yyyy-MM-dd HH:mm:ss`; a SUCCESS refund defaults to the fixture time. */
  successTime?: string;
  coupons?: readonly RefundFixtureCoupon[];
}

export interface SignedRefundQueryResponseOptions {
  signType: SignType;
  apiKey?: string;
}

/**
 * A signed `/pay/refundquery` answer about the default order listing `refunds` (refund_count =
 * their number). `overrides` replace any field, indexed ones included (`undefined` removes one).
 */
export function buildSignedRefundQueryResponse(
  refunds: readonly RefundQueryFixtureRefund[],
  options: SignedRefundQueryResponseOptions,
  overrides: Readonly<Record<string, string | undefined>> = {},
): string {
  const fields: Record<string, string> = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: d.appId,
    mch_id: d.mchId,
    nonce_str: 'TN55wO9Pba5yENl8',
    result_code: 'SUCCESS',
    transaction_id: d.transactionId,
    out_trade_no: d.outTradeNo,
    total_fee: String(d.totalFee),
    cash_fee: String(d.totalFee),
    fee_type: 'CNY',
    refund_count: String(refunds.length),
  };
  refunds.forEach((refund, n) => {
    const coupons = refund.coupons ?? [];
    const noCashFee = coupons.filter((coupon) => coupon.type === 'NO_CASH').reduce((sum, coupon) => sum + coupon.fee, 0);
    fields[`out_refund_no_${n}`] = refund.outRefundNo;
    fields[`refund_id_${n}`] = refund.refundId;
    fields[`refund_channel_${n}`] = refund.refundChannel ?? 'ORIGINAL';
    fields[`refund_fee_${n}`] = String(refund.refundFee);
    fields[`settlement_refund_fee_${n}`] = String(refund.settlementRefundFee ?? refund.refundFee - noCashFee);
    fields[`refund_status_${n}`] = refund.refundStatus;
    fields[`refund_account_${n}`] = refund.refundAccount ?? 'REFUND_SOURCE_RECHARGE_FUNDS';
    fields[`refund_recv_accout_${n}`] = refund.refundRecvAccout ?? '支付用户零钱';
    const successTime = refund.successTime ?? (refund.refundStatus === 'SUCCESS' ? d.successTime : undefined);
    if (successTime !== undefined) fields[`refund_success_time_${n}`] = successTime;
    if (coupons.length > 0) {
      fields[`coupon_refund_fee_${n}`] = String(coupons.reduce((sum, coupon) => sum + coupon.fee, 0));
      fields[`coupon_refund_count_${n}`] = String(coupons.length);
      coupons.forEach((coupon, m) => {
        fields[`coupon_refund_id_${n}_${m}`] = coupon.id;
        fields[`coupon_refund_fee_${n}_${m}`] = String(coupon.fee);
        if (coupon.type !== undefined) fields[`coupon_type_${n}_${m}`] = coupon.type;
      });
    }
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete fields[name];
    else fields[name] = value;
  }
  return buildXml(withSign(fields, options.apiKey ?? devMerchant.apiKey, options.signType));
}
