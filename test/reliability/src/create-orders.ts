import type { OrderPaymentResponse } from '@checkout/protocol/contract';
import { expectOk, mapConcurrent, type ContractClient, type Stack } from '@checkout/test-harness';

/** Logs in `users` buyers and creates `count` one-line orders spread over them, through the API. */
export async function createOrders(stack: Stack, count: number, options: { users?: number; productId?: string; concurrency?: number } = {}): Promise<{ clients: ContractClient[]; orders: OrderPaymentResponse[] }> {
  const clients: ContractClient[] = [];
  for (let i = 0; i < (options.users ?? 5); i += 1) clients.push(await stack.login());
  const orders = await mapConcurrent(Array.from({ length: count }, (_, i) => i), options.concurrency ?? 8, async (i) => {
    const client = clients[i % clients.length] as ContractClient;
    return expectOk(await client.createOrder({ items: [{ productId: options.productId ?? 'test-1fen', quantity: 1 + (i % 3) }] }));
  });
  return { clients, orders };
}
