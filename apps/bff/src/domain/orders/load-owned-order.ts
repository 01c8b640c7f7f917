import type { OrderRecord } from './order-record';
import type { OrderRepository } from './order-repository';
import { DomainError } from '../domain-error';

/** Another user's order answers exactly like a missing one, so ids cannot be probed. */
export async function loadOwnedOrder(deps: { orders: OrderRepository }, userId: string, orderId: string): Promise<OrderRecord> {
  const order = await deps.orders.findById(orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND', `order ${orderId} not found`);
  return order;
}

/** Re-reads an order that is known to exist. */
export async function reloadOrder(deps: { orders: OrderRepository }, orderId: string): Promise<OrderRecord> {
  const order = await deps.orders.findById(orderId);
  if (!order) throw new Error(`order ${orderId} vanished`);
  return order;
}
