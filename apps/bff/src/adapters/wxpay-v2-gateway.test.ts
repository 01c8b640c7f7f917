import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, orderPaymentResponseSchema } from '@checkout/protocol/contract';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';

describe('WeChat Pay failures at checkout (bounded retries, identical parameters, no duplicate orders)', () => {
  let stack: TestStack;
  let token: string;
  const body = { items: [{ productId: 'kettle', quantity: 1 }] };
  beforeAll(async () => {
    stack = await startTestStack({ WXPAY_MAX_ATTEMPTS: '3' });
    token = await stack.login();
  });
  afterAll(() => stack.close());
  afterEach(() => {
    stack.emulator.control.clearFaults();
    stack.sent.length = 0;
  });

  const unifiedorderBodies = () => stack.sent.filter((request) => request.url.endsWith('/pay/unifiedorder')).map((request) => request.body);
  const ordersAtBff = async () => (await stack.bff.database.db.selectFrom('orders').select(['id', 'out_trade_no']).execute()).length;

  it('SYSTEMERROR every time: 3 identical attempts, then PAYMENT_PROVIDER_UNAVAILABLE; a retry with the key reuses the order', async () => {
    const before = await ordersAtBff();
    stack.emulator.control.setFaults('unifiedorder', { systemErrorRate: 1 });
    const failed = await stack.api('/api/orders', { token, json: body, headers: { 'idempotency-key': 'sys-1' } });
    expect(failed.status).toBe(503);
    expect(errorBodySchema.parse(await failed.json()).error.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    const attempts = unifiedorderBodies();
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts).size).toBe(1);
    expect(await ordersAtBff()).toBe(before + 1);

    stack.emulator.control.clearFaults();
    const retried = await stack.api('/api/orders', { token, json: body, headers: { 'idempotency-key': 'sys-1' } });
    expect(retried.status).toBe(201);
    const { order } = orderPaymentResponseSchema.parse(await retried.json());
    expect(await ordersAtBff()).toBe(before + 1);
    // A new call (new nonce and sign) with the same business parameters and out_trade_no.
    const withoutNonce = (xml: string | undefined) => xml?.replace(/<nonce_str>.*?<\/nonce_str>|<sign>.*?<\/sign>/g, '');
    expect(withoutNonce(unifiedorderBodies().at(-1))).toBe(withoutNonce(attempts[0]));
    expect(stack.emulator.control.orders().filter((o) => o.outTradeNo === order.outTradeNo)).toHaveLength(1);
  });

  it('one SYSTEMERROR then success: the order is created once', async () => {
    stack.emulator.control.setFaults('unifiedorder', { systemErrorRate: 1, count: 1 });
    const response = await stack.api('/api/orders', { token, json: body });
    expect(response.status).toBe(201);
    const { order } = orderPaymentResponseSchema.parse(await response.json());
    expect(unifiedorderBodies()).toHaveLength(2);
    expect(stack.emulator.control.orders().filter((o) => o.outTradeNo === order.outTradeNo)).toHaveLength(1);
  });

  it('dropped connections (processed but unanswered) are retried with the same out_trade_no: one order', async () => {
    const emulatorBefore = stack.emulator.control.orders().length;
    stack.emulator.control.setFaults('unifiedorder', { dropConnectionRate: 1, count: 2 });
    const response = await stack.api('/api/orders', { token, json: body });
    expect(response.status).toBe(201);
    const { order } = orderPaymentResponseSchema.parse(await response.json());
    const attempts = unifiedorderBodies();
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts).size).toBe(1);
    expect(stack.emulator.control.orders()).toHaveLength(emulatorBefore + 1);
    expect(stack.emulator.control.order(order.outTradeNo)?.prepayId).toBe(await prepayOf(order.id));
  });

  it('connections dropped every time: clear error, then the keyed retry completes the same order', async () => {
    const emulatorBefore = stack.emulator.control.orders().length;
    stack.emulator.control.setFaults('unifiedorder', { dropConnectionRate: 1 });
    const failed = await stack.api('/api/orders', { token, json: body, headers: { 'idempotency-key': 'drop-1' } });
    expect(failed.status).toBe(503);
    expect(errorBodySchema.parse(await failed.json()).error.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    expect(unifiedorderBodies()).toHaveLength(3);

    stack.emulator.control.clearFaults();
    const retried = await stack.api('/api/orders', { token, json: body, headers: { 'idempotency-key': 'drop-1' } });
    expect(retried.status).toBe(201);
    expect(stack.emulator.control.orders()).toHaveLength(emulatorBefore + 1);
  });

  it('a corrupted response signature is never trusted', async () => {
    stack.emulator.control.setFaults('unifiedorder', { corruptSignatureRate: 1 });
    const failed = await stack.api('/api/orders', { token, json: body });
    expect(failed.status).toBe(503);
    expect(unifiedorderBodies()).toHaveLength(3);
  });

  it('reports every attempt to the call observer', async () => {
    stack.wxpayCalls.length = 0;
    stack.emulator.control.setFaults('unifiedorder', { systemErrorRate: 1, count: 1 });
    await stack.api('/api/orders', { token, json: body });
    expect(stack.wxpayCalls.map((call) => [call.interfaceName, call.outcome, call.errCode])).toEqual([
      ['unifiedorder', 'result_fail', 'SYSTEMERROR'],
      ['unifiedorder', 'success', null],
    ]);
    expect(stack.wxpayCalls[0]?.interfaceUrl).toBe(`${stack.emulatorServer.url}/pay/unifiedorder`);
  });

  async function prepayOf(orderId: string): Promise<string | null> {
    const row = await stack.bff.database.db.selectFrom('orders').select('prepay_id').where('id', '=', orderId).executeTakeFirstOrThrow();
    return row.prepay_id;
  }
});
