import { isPaid } from '../state/order-lifecycle';
import type { OrderRecord } from '../state/store';

/** Coupon fields as the orderquery and notification tables list them (coupon_*_$n from 0). */
function couponFields(order: OrderRecord): Record<string, string> {
  const coupons = order.coupons ?? [];
  if (coupons.length === 0) return {};
  const fields: Record<string, string> = {
    coupon_fee: String(coupons.reduce((sum, c) => sum + c.fee, 0)),
    coupon_count: String(coupons.length),
  };
  coupons.forEach((coupon, n) => {
    fields[`coupon_type_${n}`] = coupon.type;
    fields[`coupon_id_${n}`] = coupon.id;
    fields[`coupon_fee_${n}`] = String(coupon.fee);
  });
  // 应结订单金额=订单金额-免充值优惠券金额, returned only when a NO_CASH coupon was used.
  const noCash = coupons.filter((c) => c.type === 'NO_CASH').reduce((sum, c) => sum + c.fee, 0);
  if (noCash > 0) fields.settlement_total_fee = String(order.totalFee - noCash);
  return fields;
}

/** 现金支付金额: 订单金额-"代金券"金额. */
export function cashFee(order: OrderRecord): number {
  return order.totalFee - (order.coupons ?? []).reduce((sum, c) => sum + c.fee, 0);
}

/**
 * What WeChat reports about a payment attempt, the same in the pay-result notification and in an
 * orderquery answer: payer and channel, cash paid, coupons, and for a paid order its
 * transaction_id/time_end.
 */
export function paymentFields(order: OrderRecord): Record<string, string> {
  const fields: Record<string, string> = {
    openid: order.openid,
    is_subscribe: 'N',
    trade_type: 'JSAPI',
    bank_type: 'OTHERS',
    cash_fee: String(cashFee(order)),
    cash_fee_type: 'CNY',
    ...couponFields(order),
  };
  if (order.deviceInfo !== undefined) fields.device_info = order.deviceInfo;
  if (isPaid(order)) {
    fields.transaction_id = order.transactionId ?? '';
    fields.time_end = order.timeEnd ?? '';
  }
  return fields;
}
