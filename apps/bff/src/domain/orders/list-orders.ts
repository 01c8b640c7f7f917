import type { CheckoutDeps } from '../checkout-deps';
import type { OrderRecord } from './order-record';

export interface OrderListPage {
  orders: OrderRecord[];
  /** Position after the last order when there may be more. */
  next: { createdAt: Date; id: string } | null;
}

/** The caller's orders, newest first, keyset-paginated. */
export async function listOrders(
  deps: Pick<CheckoutDeps, 'orders'>,
  input: { userId: string; limit: number; before?: { createdAt: Date; id: string } },
): Promise<OrderListPage> {
  const rows = await deps.orders.listForUser(input.userId, { limit: input.limit + 1, ...(input.before ? { before: input.before } : {}) });
  const orders = rows.slice(0, input.limit);
  const last = orders.at(-1);
  return { orders, next: rows.length > input.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
