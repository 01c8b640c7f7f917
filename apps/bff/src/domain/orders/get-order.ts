import type { CheckoutDeps } from '../checkout-deps';
import type { OrderRecord } from './order-record';
import { DomainError } from '../domain-error';
import { confirmWithOrderQuery } from '../settlement/confirm-with-orderquery';
import { loadOwnedOrder } from './load-owned-order';

/**
 * The caller's order. A pending order older than a few seconds is confirmed with orderquery (the
 * notification may be late); if WeChat Pay cannot be reached the stored state is returned.
 */
export async function getOrder(deps: CheckoutDeps, input: { userId: string; orderId: string }): Promise<OrderRecord> {
  const order = await loadOwnedOrder(deps, input.userId, input.orderId);
  if (order.status !== 'pending') return order;
  const now = deps.clock.now().getTime();
  const oldEnough = now - order.createdAt.getTime() >= deps.policy.queryAfterSeconds * 1000;
  const notJustQueried = !order.lastQueriedAt || now - order.lastQueriedAt.getTime() >= deps.policy.requeryIntervalSeconds * 1000;
  if (!oldEnough || !notJustQueried) return order;
  try {
    return await confirmWithOrderQuery(deps, order);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    deps.logger.warn({ outTradeNo: order.outTradeNo, code: error.code }, 'orderquery failed; answering with the stored state');
    return order;
  }
}
