import { withSign, type SignType } from '../wxpay/v2-sign';
import { buildXml } from '../wxpay/xml-codec';
import { devMerchant } from './dev-merchant';

export interface SignedNotificationCoupon {
  id: string;
  /** CASH = 充值代金券, NO_CASH = 非充值代金券 (reduces settlement_total_fee). */
  type?: 'CASH' | 'NO_CASH';
  fee: number;
}

export interface SignedNotificationOptions {
  apiKey: string;
  signType: SignType;
  /** Leave `sign_type` out of the body, as WeChat often does (the verifier infers it from the sign length). */
  omitSignType?: boolean;
  /** Adds coupon_fee, coupon_count, coupon_id_$n, coupon_type_$n, coupon_fee_$n and settlement_total_fee. */
  coupons?: readonly SignedNotificationCoupon[];
}

/** A paid JSAPI order for the dev merchant: 99.00 CNY. */
const defaults: Readonly<Record<string, string>> = {
  appid: devMerchant.appId,
  mch_id: devMerchant.mchId,
  nonce_str: '5d2b6c2a8db53831f7eda20af46e531c',
  result_code: 'SUCCESS',
  return_code: 'SUCCESS',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  is_subscribe: 'N',
  trade_type: 'JSAPI',
  bank_type: 'CMC',
  total_fee: '9900',
  fee_type: 'CNY',
  cash_fee_type: 'CNY',
  transaction_id: '4200002345202511251234567890',
  out_trade_no: 'T20251125161500000001',
  time_end: '20251125161500',
};

/**
 * The XML body of a signed pay-result notification. `overrides` replace default fields (any name,
 * including unknown extension fields); an `undefined` value removes the field. `cash_fee` follows
 * `total_fee` minus coupons unless overridden. Everything except `sign` is signed, like WeChat does.
 */
export function buildSignedNotification(
  overrides: Readonly<Record<string, string | undefined>>,
  options: SignedNotificationOptions,
): string {
  const fields: Record<string, string> = { ...defaults };
  const totalFeeText = overrides.total_fee ?? defaults.total_fee ?? '';
  const totalFee = Number(totalFeeText);
  const coupons = options.coupons ?? [];
  const couponFee = coupons.reduce((sum, coupon) => sum + coupon.fee, 0);
  // A deliberately malformed total_fee is carried over as is rather than turned into "NaN".
  fields.cash_fee = /^\d+$/.test(totalFeeText) ? String(totalFee - couponFee) : totalFeeText;
  if (coupons.length > 0) {
    fields.coupon_fee = String(couponFee);
    fields.coupon_count = String(coupons.length);
    coupons.forEach((coupon, n) => {
      fields[`coupon_id_${n}`] = coupon.id;
      fields[`coupon_fee_${n}`] = String(coupon.fee);
      if (coupon.type !== undefined) fields[`coupon_type_${n}`] = coupon.type;
    });
    const noCashFee = coupons.filter((coupon) => coupon.type === 'NO_CASH').reduce((sum, coupon) => sum + coupon.fee, 0);
    fields.settlement_total_fee = String(totalFee - noCashFee);
  }
  if (!options.omitSignType) fields.sign_type = options.signType;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete fields[name];
    else fields[name] = value;
  }
  return buildXml(withSign(fields, options.apiKey, options.signType));
}
