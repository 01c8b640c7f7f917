import type { CheckoutDeps } from './checkout-deps';
import type { OrderRecord } from './order-record';
import { confirmWithOrderQuery } from './confirm-with-orderquery';
import { reloadOrder } from './load-owned-order';

type Deps = Pick<CheckoutDeps, 'orders' | 'gateway' | 'clock' | 'logger'>;

/** closeorder for an order past the 5-minute floor. ORDERPAID means paid: confirmed with orderquery. */
export async function closeOrderNow(deps: Deps, order: OrderRecord, reason: string): Promise<OrderRecord> {
  const outcome = await deps.gateway.closeOrder({ outTradeNo: order.outTradeNo, signType: order.signType });
  const now = deps.clock.now();
  if (outcome === 'paid') {
    await deps.orders.recordEvent(order.id, 'close_refused', 'closeorder ORDERPAID', now);
    return confirmWithOrderQuery(deps, order);
  }
  if (await deps.orders.markClosed(order.id, now, reason)) {
    await deps.orders.recordEvent(order.id, 'closed', `${reason}: closeorder ${outcome}`, now);
  }
  return reloadOrder(deps, order.id);
}
