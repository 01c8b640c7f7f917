import type { CheckoutDeps } from '../checkout-deps';
import type { OrderRecord } from './order-record';
import { DomainError, ProviderRejectedError, ProviderUnavailableError } from '../domain-error';
import { closeOrderNow } from '../settlement/close-order-now';
import { loadOwnedOrder, reloadOrder } from './load-owned-order';
import { canUpdate } from './order-lifecycle';

/**
 * Cancel the caller's pending order. closeorder is not allowed in the first 5 minutes, so the
 * request is recorded (cancelRequested) and the sweeper closes the order once allowed. A paid
 * order (ORDERPAID) stays paid.
 */
export async function cancelOrder(deps: CheckoutDeps, input: { userId: string; orderId: string }): Promise<OrderRecord> {
  const order = await loadOwnedOrder(deps, input.userId, input.orderId);
  if (order.status === 'closed') return order;
  if (!canUpdate(order.status, 'cancelRequest')) throw new DomainError('ORDER_NOT_CANCELLABLE', `order ${order.id} is ${order.status}`);

  const now = deps.clock.now();
  if (!order.cancelRequested) {
    await deps.orders.requestCancel(order.id, now);
    await deps.orders.recordEvent(order.id, 'cancel_requested', 'by buyer', now);
  }
  const closeAllowedAt = order.createdAt.getTime() + deps.policy.closeFloorSeconds * 1000;
  const current = await reloadOrder(deps, order.id);
  if (now.getTime() < closeAllowedAt || current.status !== 'pending') return current;
  try {
    return await closeOrderNow(deps, current, 'cancelled');
  } catch (error) {
    if (!(error instanceof ProviderUnavailableError || error instanceof ProviderRejectedError)) throw error;
    // The cancel is recorded; the sweeper retries the close.
    deps.logger.warn({ outTradeNo: order.outTradeNo, code: error.code }, 'closeorder failed; cancel left to the sweeper');
    return reloadOrder(deps, order.id);
  }
}
