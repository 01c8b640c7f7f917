import type { CheckoutDeps } from '../checkout-deps';
import type { OrderWithPayment } from './obtain-payment';
import { loadOwnedOrder } from '../orders/load-owned-order';
import { obtainPayment } from './obtain-payment';

/** New requestPayment parameters for the caller's pending order (same prepay_id while valid). */
export async function payOrder(deps: CheckoutDeps, input: { userId: string; orderId: string }): Promise<OrderWithPayment> {
  const order = await loadOwnedOrder(deps, input.userId, input.orderId);
  return obtainPayment(deps, order);
}
