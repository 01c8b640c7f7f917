import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderPaymentResponse, Product } from '@checkout/protocol/contract';
import { expectError, expectOk, startStack, SuiteSummary, type ContractClient, type Stack } from '@checkout/test-harness';

/**
 * Access: one buyer can neither read, pay nor cancel another's order, nor see it in history; no
 * token, a forged token and an expired token are refused; prices, amounts and openids sent by the
 * client are ignored (WeChat Pay is asked for the catalog price, for the logged-in openid).
 */
describe('access and client-supplied amounts', () => {
  const summary = new SuiteSummary('reliability:access');
  let stack: Stack;
  let alice: ContractClient;
  let bob: ContractClient;
  let aliceOrder: OrderPaymentResponse;
  let products: Product[];
  const aliceOpenid = 'oAlice000000000000000000001';
  const bobOpenid = 'oBob00000000000000000000001';

  beforeAll(async () => {
    stack = await startStack({ name: 'access', bffEnv: { SESSION_TTL_SECONDS: '3600' } });
    alice = await stack.login(aliceOpenid);
    bob = await stack.login(bobOpenid);
    products = expectOk(await alice.listProducts()).products;
    aliceOrder = expectOk(await alice.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
  });
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  it('another buyer cannot read, pay or cancel the order, and gets the same answer as for an order that does not exist', async () => {
    summary.try("bob reads, pays, cancels alice's order and lists history");
    const id = aliceOrder.order.id;
    const notFound = expectError(await bob.getOrder('ord_does_not_exist_0000000000'));
    for (const error of [expectError(await bob.getOrder(id)), expectError(await bob.payOrder(id)), expectError(await bob.cancelOrder(id))]) {
      expect(error).toMatchObject({ status: notFound.status, code: notFound.code });
      expect(error.message).not.toContain(aliceOpenid);
    }
    expect(expectOk(await bob.listOrders()).orders.map((o) => o.id)).not.toContain(id);
    const still = expectOk(await alice.getOrder(id)).order;
    expect(still).toMatchObject({ status: 'pending', cancelRequested: false });
    summary.hold(`every attempt answered ${String(notFound.status)} ${notFound.code} like a missing order; alice's order untouched`);
  });

  it('no token, a garbage token, a tampered token are refused with UNAUTHENTICATED', async () => {
    summary.try('missing, garbage and tampered bearer tokens on every order endpoint');
    const token = alice.token ?? '';
    // Changes the second-to-last character (always significant bits), whatever it was: the old
    // version compared the last one and left the token intact when the changed one was already 'A'.
    const tampered = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.slice(-1)}`;
    expect(tampered).not.toBe(token);
    const clients = [stack.api, stack.api.withToken('garbage'), stack.api.withToken(tampered), stack.api.withToken(`${token}x`)];
    for (const client of clients) {
      const errors = [
        expectError(await client.listOrders()),
        expectError(await client.getOrder(aliceOrder.order.id)),
        expectError(await client.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] })),
      ];
      for (const error of errors) expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    }
    summary.hold('all 401 UNAUTHENTICATED');
  });

  it('prices, amounts and an openid sent by the client are ignored', async () => {
    summary.try('order bodies carrying priceFen/unitPriceFen/totalFen/payableFen/total_fee/openid');
    const kettle = products.find((p) => p.id === 'kettle');
    if (!kettle) throw new Error('no kettle');
    const sneaky = {
      items: [{ productId: 'kettle', quantity: 2, priceFen: 1, unitPriceFen: 1 }],
      totalFen: 2,
      payableFen: 1,
      subsidyDiscountFen: 999_999,
      total_fee: 1,
      openid: bobOpenid,
    };
    const result = await alice.createOrder(sneaky);
    if (result.ok) {
      expect(result.body.order).toMatchObject({ totalFen: kettle.priceFen * 2, payableFen: kettle.priceFen * 2, subsidyDiscountFen: 0 });
      expect(result.body.order.items[0]).toMatchObject({ unitPriceFen: kettle.priceFen, quantity: 2 });
      const upstream = await stack.emulator.order(result.body.order.outTradeNo);
      expect(upstream).toMatchObject({ totalFee: kettle.priceFen * 2, openid: aliceOpenid });
      summary.hold('extra fields ignored: WeChat Pay asked for the catalog price for the logged-in openid');
    } else {
      // Refusing unknown fields outright is as safe.
      expect(result.error.code).toBe('VALIDATION_FAILED');
      summary.hold('extra fields refused with VALIDATION_FAILED');
    }
    expect((await stack.emulator.order(aliceOrder.order.outTradeNo))?.openid).toBe(aliceOpenid);
  });

  it('a paid order of one buyer stays out of reach of the other; history stays separate', async () => {
    expect((await stack.emulator.cashier(aliceOrder.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    const bobOrder = expectOk(await bob.createOrder({ items: [{ productId: 'filter-pack', quantity: 1 }] }));
    expect(expectError(await alice.cancelOrder(bobOrder.order.id)).status).toBe(404);
    expect(expectError(await alice.payOrder(bobOrder.order.id)).status).toBe(404);
    const aliceIds = expectOk(await alice.listOrders({ limit: 50 })).orders.map((o) => o.id);
    const bobIds = expectOk(await bob.listOrders({ limit: 50 })).orders.map((o) => o.id);
    expect(aliceIds.filter((id) => bobIds.includes(id))).toEqual([]);
    expect(bobIds).toEqual([bobOrder.order.id]);
    expect(stack.database().order(bobOrder.order.outTradeNo)?.cancel_requested).toBe(0);
  });

  it('an Idempotency-Key used by another buyer never returns their order', async () => {
    summary.try("bob reuses alice's Idempotency-Key");
    const key = 'shared-key-0001';
    const first = expectOk(await alice.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }, { idempotencyKey: key }));
    const other = await bob.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }, { idempotencyKey: key });
    if (other.ok) expect(other.body.order.id).not.toBe(first.order.id);
    else expect(other.error.code).not.toBe('IDEMPOTENCY_KEY_REUSED');
    expect(expectOk(await bob.listOrders({ limit: 50 })).orders.map((o) => o.id)).not.toContain(first.order.id);
    summary.hold('keys are per buyer');
  });

  it('a wx.login code works once', async () => {
    summary.try('a login code replayed');
    const code = await stack.emulator.issueLoginCode('oReplay0000000000000000001');
    expectOk(await stack.api.createSession(code));
    expect(expectError(await stack.api.createSession(code))).toMatchObject({ status: 400, code: 'LOGIN_CODE_INVALID' });
    expect(expectError(await stack.api.createSession('not-a-code'))).toMatchObject({ status: 400, code: 'LOGIN_CODE_INVALID' });
    summary.hold('second use and unknown codes refused with LOGIN_CODE_INVALID');
  });

  it('an expired session token is refused', async () => {
    summary.try('a token used after its expiry (BFF clock moved past the TTL)');
    await stack.shiftBffClock(3600_000 + 60_000);
    expect(expectError(await alice.listOrders())).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    // A new login works again.
    const again = await stack.login(aliceOpenid);
    expect(expectOk(await again.listOrders()).orders.map((o) => o.id)).toContain(aliceOrder.order.id);
    summary.hold('expired token 401; re-login as the same openid sees the same history');
  });
});
