import type { Emulator } from '@checkout/wxpay-emulator';
import type { CreateOrderRequest, OrderPaymentResponse } from '@checkout/protocol/contract';
import type { BffInstance } from './bff-cluster';

export interface OpenOrder {
  id: string;
  outTradeNo: string;
  payableFen: number;
  payment: OrderPaymentResponse['payment'];
  /** Session token of the buyer who owns the order. */
  token: string;
  createdOn: BffInstance;
}

/** A buyer logs in (emulator login code) and checks out `request` (default: one kettle) on `instance`. */
export async function openOrder(
  instance: BffInstance,
  emulator: Emulator,
  request: CreateOrderRequest = { items: [{ productId: 'kettle', quantity: 1 }] },
): Promise<OpenOrder> {
  const session = await instance.client.createSession(emulator.control.issueLoginCode());
  if (!session.ok) throw new Error(`${instance.name}: login failed: ${session.error.code}`);
  const buyer = instance.client.withToken(session.body.token);
  const created = await buyer.createOrder(request);
  if (!created.ok) throw new Error(`${instance.name}: checkout failed: ${created.error.code} ${created.error.message}`);
  const { order, payment } = created.body;
  return { id: order.id, outTradeNo: order.outTradeNo, payableFen: order.payableFen, payment, token: session.body.token, createdOn: instance };
}
