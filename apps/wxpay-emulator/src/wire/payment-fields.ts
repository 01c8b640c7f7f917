import { isPaid } from '../state/order-lifecycle';
import type { OrderRecord } from '../state/store';

/**
 * What WeChat reports about a payment attempt, the same in the pay-result notification and in an
 * orderquery answer: payer and channel, cash paid, and for a paid order its transaction_id/time_end.
 */
export function paymentFields(order: OrderRecord): Record<string, string> {
  const fields: Record<string, string> = {
    openid: order.openid,
    is_subscribe: 'N',
    trade_type: 'JSAPI',
    bank_type: 'OTHERS',
    cash_fee: String(order.totalFee),
  };
  if (isPaid(order)) {
    fields.transaction_id = order.transactionId ?? '';
    fields.time_end = order.timeEnd ?? '';
  }
  return fields;
}
