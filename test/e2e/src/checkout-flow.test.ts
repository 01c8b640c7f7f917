import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { expectError, expectOk, payAtCashierAndWait, startStack, type ContractClient, type Stack } from '@checkout/test-harness';

// The happy path and its edges through the contract, as the mini-program drives it. The MD5 sign
// type runs through the same cashier checks in sign-type-and-notification-variants.test.ts.
describe.each(['HMAC-SHA256'] as const)('checkout with %s', (signType) => {
  let stack: Stack;
  let client: ContractClient;
  let products: Product[];

  beforeAll(async () => {
    stack = await startStack({ name: `e2e-checkout-${signType}`, bffEnv: { WXPAY_SIGN_TYPE: signType } });
    client = await stack.login();
    products = expectOk(await client.listProducts()).products;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const product = (id: string): Product => {
    const found = products.find((p) => p.id === id);
    if (!found) throw new Error(`catalog has no ${id}`);
    return found;
  };

  it('serves a catalog of integer-fen prices with subsidy-eligible appliances', () => {
    expect(products.length).toBeGreaterThan(0);
    expect(products.every((p) => Number.isInteger(p.priceFen) && p.priceFen >= 1)).toBe(true);
    expect(products.some((p) => p.appliance !== null)).toBe(true);
  });

  it('login → order → cashier pays → notification → paid, exactly once', async () => {
    const kettle = product('kettle');
    const created = expectOk(await client.createOrder({ items: [{ productId: kettle.id, quantity: 2 }] }));
    expect(created.order).toMatchObject({ status: 'pending', totalFen: kettle.priceFen * 2, payableFen: kettle.priceFen * 2, subsidyDiscountFen: 0, cancelRequested: false, paidAt: null });
    expect(created.payment.signType).toBe(signType);

    // What the BFF sent to WeChat Pay: server price, our notify_url, the sign type from config.
    const upstream = await stack.emulator.order(created.order.outTradeNo);
    expect(upstream).toMatchObject({ totalFee: kettle.priceFen * 2, tradeState: 'NOTPAY', signType, appId: devMerchant.appId, mchId: devMerchant.mchId, notifyUrl: `${stack.bffUrl}/wxpay/notify` });
    expect(created.payment.package).toBe(`prepay_id=${upstream?.prepayId ?? ''}`);

    const paid = await payAtCashierAndWait(stack, client, created);
    expect(paid.paidAt).not.toBeNull();
    expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('SUCCESS');

    const deliveries = (await stack.emulator.deliveries()).filter((d) => d.outTradeNo === created.order.outTradeNo);
    // Every answer is the exact SUCCESS ack; a copy answered after the emulator's (time-scaled)
    // limit is retried, which is timing on a shared machine, not a failure.
    expect(deliveries.some((d) => d.acked)).toBe(true);
    expect(deliveries.filter((d) => d.status !== null && !(d.acked && d.status === 200))).toEqual([]);

    const db = stack.database();
    const row = db.order(created.order.outTradeNo);
    expect(row?.transaction_id).toBe((await stack.emulator.order(created.order.outTradeNo))?.transactionId);
    expect(db.eventKinds(row?.id ?? '').filter((kind) => kind === 'paid')).toHaveLength(1);
    expect(db.integrity().problems).toEqual([]);

    // A paid order can be neither paid again nor cancelled.
    expect(expectError(await client.payOrder(created.order.id)).code).toBe('ORDER_NOT_PAYABLE');
    expect(expectError(await client.cancelOrder(created.order.id)).code).toBe('ORDER_NOT_CANCELLABLE');
  });

  it('the cashier refuses a tampered paySign, as the WeChat client does, and nothing is paid', async () => {
    const created = expectOk(await client.createOrder({ items: [{ productId: product('filter-pack').id, quantity: 1 }] }));
    const flipped = created.payment.paySign.startsWith('0') ? `1${created.payment.paySign.slice(1)}` : `0${created.payment.paySign.slice(1)}`;
    const refused = await stack.emulator.cashier({ ...created.payment, paySign: flipped }, 'pay');
    expect(refused.status).toBe(400);
    expect(refused.errMsg).toMatch(/^requestPayment:fail/);
    const wrongAmount = await stack.emulator.cashier({ ...created.payment, nonceStr: `${created.payment.nonceStr}x` }, 'pay');
    expect(wrongAmount.errMsg).toMatch(/^requestPayment:fail/);
    expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('NOTPAY');
    expect(expectOk(await client.getOrder(created.order.id)).order.status).toBe('pending');
  });

  it('the buyer cancels at the cashier: the order stays payable and re-pay reuses the valid prepay_id', async () => {
    const created = expectOk(await client.createOrder({ items: [{ productId: product('test-1fen').id, quantity: 1 }] }));
    const cancelled = await stack.emulator.cashier(created.payment, 'cancel');
    expect(cancelled.errMsg).toBe('requestPayment:fail cancel');
    expect(expectOk(await client.getOrder(created.order.id)).order.status).toBe('pending');
    const again = expectOk(await client.payOrder(created.order.id));
    expect(again.payment.package).toBe(created.payment.package);
    expect(again.payment.signType).toBe(signType);
    await payAtCashierAndWait(stack, client, again);
  });

  it('paid after a cancel request (the WeChat client still held the parameters): the money is recorded, the order ends paid', async () => {
    const created = expectOk(await client.createOrder({ items: [{ productId: product('kettle').id, quantity: 1 }] }));
    expect(expectOk(await client.cancelOrder(created.order.id)).order.cancelRequested).toBe(true);
    // Inside the 5-minute floor the order is still NOTPAY at WeChat Pay, so the old prepay_id pays.
    const paid = await payAtCashierAndWait(stack, client, created);
    expect(paid.closedAt).toBeNull();
    expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('SUCCESS');
    expect(stack.database().integrity().problems).toEqual([]);
  });

  it('six simultaneous taps with one Idempotency-Key make one order and one unifiedorder', async () => {
    const key = randomUUID();
    const body = { items: [{ productId: product('kettle').id, quantity: 1 }] };
    const taps = await Promise.all(Array.from({ length: 6 }, () => client.createOrder(body, { idempotencyKey: key })));
    // Taps may be told the first is still in progress; none may create a second order.
    const ok = taps.filter((r) => r.ok);
    expect(ok.length).toBeGreaterThan(0);
    for (const result of taps) if (!result.ok) expect(result.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    const third = expectOk(await client.createOrder(body, { idempotencyKey: key }));
    const ids = new Set([...ok.map((r) => (r.ok ? r.body.order.id : '')), third.order.id]);
    expect(ids.size).toBe(1);
    const upstream = (await stack.emulator.orders()).filter((o) => o.outTradeNo === third.order.outTradeNo);
    expect(upstream).toHaveLength(1);
    // Same key, different cart: refused, not silently answered with the first order.
    const reused = await client.createOrder({ items: [{ productId: product('filter-pack').id, quantity: 3 }] }, { idempotencyKey: key });
    expect(expectError(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('history lists only the caller’s orders, newest first, across pages without gaps or repeats', async () => {
    const other = await stack.login();
    const mine = expectOk(await other.createOrder({ items: [{ productId: product('kettle').id, quantity: 1 }] }));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const body = expectOk(await client.listOrders({ limit: 2, ...(cursor === undefined ? {} : { cursor }) }));
      expect(body.orders.length).toBeLessThanOrEqual(2);
      seen.push(...body.orders.map((o) => o.id));
      if (body.nextCursor === null) break;
      cursor = body.nextCursor;
    }
    const allMine = stack.database().orders().filter((o) => o.id !== mine.order.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(allMine.map((o) => o.id).sort());
    expect(seen).not.toContain(mine.order.id);
    const created = await Promise.all(seen.map(async (id) => expectOk(await client.getOrder(id)).order.createdAt));
    expect([...created].sort().reverse()).toEqual(created);
    expect(expectOk(await other.listOrders()).orders.map((o) => o.id)).toEqual([mine.order.id]);
  });
});
