/** A coupon (代金券) used on a payment, as the pay notification and orderquery report it. */
export interface NotificationCoupon {
  id: string;
  /** CASH or NO_CASH when WeChat says so. */
  type?: string;
  /** fen */
  fee: number;
}

const MAX_COUPONS = 100;
const COUNT = /^\d{1,3}$/;
const FEN = /^(0|[1-9]\d{0,15})$/;

/**
 * Coupons from the indexed fields of the field table (`coupon_id_$n`, …). WeChat's own example
 * sends `coupon_id`/`coupon_type` without the index, so those are read as coupon 0. Coupons are
 * optional information about a payment that already happened: a shape other than the documented
 * one is noted in `unexpected`, never a reason to refuse the notification.
 */
export function readCoupons(fields: Record<string, string>, unexpected: string[]): NotificationCoupon[] {
  const countText = fields.coupon_count;
  let count = 0;
  if (countText !== undefined && countText !== '') {
    if (COUNT.test(countText) && Number(countText) <= MAX_COUPONS) count = Number(countText);
    else unexpected.push('coupon_count');
  }
  for (const name of ['coupon_id', 'coupon_type']) if (fields[name] !== undefined) unexpected.push(name);
  const coupons: NotificationCoupon[] = [];
  for (let n = 0; n < count; n++) {
    const unindexed = n === 0 && count === 1;
    const id = fields[`coupon_id_${n}`] ?? (unindexed ? fields.coupon_id : undefined);
    const type = fields[`coupon_type_${n}`] ?? (unindexed ? fields.coupon_type : undefined);
    // With one coupon its fee is the total coupon_fee.
    const fee = fields[`coupon_fee_${n}`] ?? (unindexed ? fields.coupon_fee : undefined);
    if (id === undefined || id === '' || fee === undefined || !FEN.test(fee)) {
      unexpected.push(`coupon_${n}`);
      continue;
    }
    coupons.push({ id, ...(type === undefined || type === '' ? {} : { type }), fee: Number(fee) });
  }
  return coupons;
}

