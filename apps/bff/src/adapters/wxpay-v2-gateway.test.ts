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

describe('merchant unifiedorder settings and orderquery by transaction_id, against the emulator', () => {
  let stack: TestStack;
  let token: string;
  const shop = { id: 'SZ-001', name: '示例电器深圳店', area_code: '440305', address: '科技园中一路 1 号' };
  beforeAll(async () => {
    stack = await startTestStack({
      WXPAY_MAX_ATTEMPTS: '3',
      WXPAY_DEVICE_INFO: 'POS-01',
      WXPAY_LIMIT_PAY: 'no_credit',
      WXPAY_RECEIPT: 'Y',
      WXPAY_PROFIT_SHARING: 'N',
      WXPAY_SCENE_INFO: JSON.stringify(shop),
      WXPAY_SINGLE_ITEM_DISCOUNT: '1',
    });
    token = await stack.login();
  });
  afterAll(() => stack.close());
  afterEach(() => {
    stack.emulator.control.clearFaults();
    stack.sent.length = 0;
  });

  it('sends every configured field and the order lines as detail; the emulator stores them; a retry repeats the same bytes', async () => {
    stack.emulator.control.setFaults('unifiedorder', { systemErrorRate: 1, count: 1 });
    const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 2 }, { productId: 'filter-pack', quantity: 1 }] } });
    expect(response.status).toBe(201);
    const { order } = orderPaymentResponseSchema.parse(await response.json());
    const attempts = stack.sent.filter((request) => request.url.endsWith('/pay/unifiedorder')).map((request) => request.body.replace(/<nonce_str>.*?<\/nonce_str>|<sign>.*?<\/sign>/g, ''));
    expect(attempts).toHaveLength(2);
    expect(attempts[1]).toBe(attempts[0]);
    const atWeChat = stack.emulator.control.order(order.outTradeNo);
    expect(atWeChat).toMatchObject({ deviceInfo: 'POS-01', limitPay: 'no_credit', receipt: 'Y', profitSharing: 'N' });
    expect(JSON.parse(atWeChat?.sceneInfo ?? '')).toEqual({ store_info: shop });
    expect(JSON.parse(atWeChat?.detail ?? '')).toEqual({
      goods_detail: [
        { goods_id: 'kettle', goods_name: '电热水壶 1.7L', quantity: 2, price: 89_00 },
        { goods_id: 'filter-pack', goods_name: '净水滤芯套装', quantity: 1, price: 199_00 },
      ],
    });
    // Nothing personal travels in attach (it is echoed in queries, notifications and bills).
    expect(atWeChat?.attach).toBeUndefined();
  });

  it('queryOrder by transaction_id answers about that payment; an unknown transaction_id is not_found', async () => {
    const { order } = await stack.createAndPay(token, { items: [{ productId: 'test-1fen', quantity: 1 }] });
    const paid = stack.emulator.control.order(order.outTradeNo);
    const { gateway } = stack.bff.deps;
    stack.sent.length = 0;
    const result = await gateway.queryOrder({ outTradeNo: order.outTradeNo, transactionId: paid?.transactionId ?? '', signType: 'HMAC-SHA256' });
    expect(result).toMatchObject({ kind: 'found', outTradeNo: order.outTradeNo, tradeState: 'SUCCESS', transactionId: paid?.transactionId, totalFee: 1 });
    const sentQuery = stack.sent.find((request) => request.url.endsWith('/pay/orderquery'))?.body ?? '';
    expect(sentQuery).toContain(`<transaction_id>${paid?.transactionId ?? ''}</transaction_id>`);
    expect(sentQuery).not.toContain('<out_trade_no>');
    expect(await gateway.queryOrder({ outTradeNo: order.outTradeNo, transactionId: '4200000000202601010000000000', signType: 'HMAC-SHA256' })).toEqual({ kind: 'not_found' });
  });
});
