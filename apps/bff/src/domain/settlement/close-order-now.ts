import type { CheckoutDeps } from '../checkout-deps';
import type { OrderRecord } from '../orders/order-record';
import { confirmWithOrderQuery } from './confirm-with-orderquery';
import { reloadOrder } from '../orders/load-owned-order';

type Deps = Pick<CheckoutDeps, 'orders' | 'gateway' | 'clock' | 'logger'>;

/**
 * closeorder for an order past the 5-minute floor: a pending one (expired or cancelled) becomes
 * closed; a failed one (PAYERROR) stays failed but is closed at WeChat Pay so that it can no longer
 * be paid, as the closeorder rules require. ORDERPAID means paid: confirmed with orderquery.
 */
export async function closeOrderNow(deps: Deps, order: OrderRecord, reason: string): Promise<OrderRecord> {
  const outcome = await deps.gateway.closeOrder({ outTradeNo: order.outTradeNo, signType: order.signType });
  const now = deps.clock.now();
  if (outcome === 'paid') {
    await deps.orders.recordEvent(order.id, 'close_refused', 'closeorder ORDERPAID', now);
    return confirmWithOrderQuery(deps, order);
  }
  if (order.status === 'failed') {
    if (await deps.orders.markFailedClosed(order.id, now)) await deps.orders.recordEvent(order.id, 'closed_at_wechat', `PAYERROR: closeorder ${outcome}`, now);
  } else if (await deps.orders.transition(order.id, { kind: 'close', at: now, reason })) {
    await deps.orders.recordEvent(order.id, 'closed', `${reason}: closeorder ${outcome}`, now);
  }
  return reloadOrder(deps, order.id);
}
