import type { EmulatorRefund } from '../emulator-types';
import type { OrderRecord } from '../state/store';

/** refundquery answers at most this many refunds per page (offset pages through the rest). */
export const REFUND_QUERY_PAGE_SIZE = 10;

/**
 * The refund answer (/secapi/pay/refund): identifiers, amounts, cash. The emulator has no coupons,
 * so the coupon refund is 0 and the settlement amount equals refund_fee.
 */
export function refundAnswerFields(refund: EmulatorRefund, order: OrderRecord): Record<string, string> {
  return {
    transaction_id: refund.transactionId,
    out_trade_no: refund.outTradeNo,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_fee: String(refund.refundFee),
    settlement_refund_fee: String(refund.settlementRefundFee),
    total_fee: String(order.totalFee),
    fee_type: 'CNY',
    cash_fee: String(order.totalFee),
    cash_fee_type: 'CNY',
    cash_refund_fee: String(refund.cashRefundFee),
    coupon_refund_fee: '0',
    coupon_refund_count: '0',
  };
}

/** One refund under index n of a refundquery answer (`_$n` fields). */
function indexedRefundFields(refund: EmulatorRefund, n: number): Record<string, string> {
  const out: Record<string, string> = {
    [`out_refund_no_${n}`]: refund.outRefundNo,
    [`refund_id_${n}`]: refund.refundId,
    [`refund_channel_${n}`]: 'ORIGINAL',
    [`refund_fee_${n}`]: String(refund.refundFee),
    [`settlement_refund_fee_${n}`]: String(refund.settlementRefundFee),
    [`coupon_refund_fee_${n}`]: '0',
    [`coupon_refund_count_${n}`]: '0',
    [`refund_status_${n}`]: refund.refundStatus,
    [`refund_account_${n}`]: refund.refundAccount,
    [`refund_recv_accout_${n}`]: refund.refundRecvAccout,
  };
  if (refund.successTime !== undefined) out[`refund_success_time_${n}`] = refund.successTime;
  return out;
}

/**
 * A refundquery answer: the order's fields, then `refunds` under indexes 0…; total_refund_count
 * when the caller paged (offset) or the order has more refunds than one page holds.
 */
export function refundQueryFields(order: OrderRecord, refunds: readonly EmulatorRefund[], total: { count: number; include: boolean }): Record<string, string> {
  const out: Record<string, string> = {
    transaction_id: order.transactionId ?? '',
    out_trade_no: order.outTradeNo,
    total_fee: String(order.totalFee),
    fee_type: 'CNY',
    cash_fee: String(order.totalFee),
    refund_count: String(refunds.length),
  };
  if (total.include) out.total_refund_count = String(total.count);
  refunds.forEach((refund, n) => Object.assign(out, indexedRefundFields(refund, n)));
  return out;
}
