import type { Order, OrderPaymentResponse } from '@checkout/protocol/contract';
import { expectOk, type ContractClient } from './contract-client';
import { eventually } from './eventually';
import type { Stack } from './stack';

/** Pays at the emulator's cashier (as the WeChat client would) and waits until the BFF says paid. */
export async function payAtCashierAndWait(stack: Stack, client: ContractClient, created: OrderPaymentResponse, timeoutMs = 20_000): Promise<Order> {
  const result = await stack.emulator.cashier(created.payment, 'pay');
  if (result.errMsg !== 'requestPayment:ok') throw new Error(`cashier refused: ${result.errMsg} ${result.detail ?? ''}`);
  return waitForStatus(client, created.order.id, 'paid', timeoutMs);
}

export async function waitForStatus(client: ContractClient, orderId: string, status: Order['status'], timeoutMs = 20_000): Promise<Order> {
  let last = '';
  return eventually(
    async () => {
      const order = expectOk(await client.getOrder(orderId)).order;
      last = order.status;
      return order.status === status ? order : undefined;
    },
    { timeoutMs, description: `order ${orderId} to become ${status} (last: ${last || 'unknown'})`, intervalMs: 150 },
  );
}
