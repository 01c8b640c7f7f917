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

  it('a wx.login code works once: a repeat from the same client is that buyer again, only for a minute; from elsewhere never', async () => {
    summary.try('a login code replayed from the same address, after the cache TTL, and an unknown code');
    const code = await stack.emulator.issueLoginCode('oReplay0000000000000000001');
    const first = expectOk(await stack.api.createSession(code));
    // The client retrying after a lost answer: answered from the BFF's cache, same buyer, no second WeChat call.
    const repeat = expectOk(await stack.api.createSession(code));
    const subject = (token: string): unknown => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown }).sub;
    expect(subject(repeat.token)).toBe(subject(first.token));
    expect(Object.keys(repeat).sort()).toEqual(['expiresAt', 'token']);
    await stack.shiftBffClock(61_000);
    expect(expectError(await stack.api.createSession(code))).toMatchObject({ status: 400, code: 'LOGIN_CODE_INVALID' });
    expect(expectError(await stack.api.createSession('not-a-code'))).toMatchObject({ status: 400, code: 'LOGIN_CODE_INVALID' });
    summary.hold('repeat within the TTL = same buyer; after it and unknown codes refused with LOGIN_CODE_INVALID');
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

  it('a token issued before logout is refused afterwards, on every device; a new login works', async () => {
    summary.try('logout with one of two tokens of the same buyer');
    const phone = await stack.login(aliceOpenid);
    const tablet = await stack.login(aliceOpenid);
    expect(expectOk(await phone.logout())).toEqual({ loggedOut: true });
    for (const client of [phone, tablet]) expect(expectError(await client.listOrders())).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(expectError(await phone.logout())).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(expectOk(await (await stack.login(bobOpenid)).listOrders()).orders.length).toBeGreaterThan(0);
    const again = await stack.login(aliceOpenid);
    expect(expectOk(await again.listOrders()).orders.map((o) => o.id)).toContain(aliceOrder.order.id);
    summary.hold('both tokens 401 after logout; other buyers unaffected; re-login works');
  });
});

/**
 * Login quota: every jscode2session call spends the app's per-minute quota at WeChat (the
 * emulator: 600 a minute, then 45011). A flood of made-up codes from several addresses must not
 * lock real buyers out: implausible codes never reach WeChat, each address has a tight login
 * limit, and the BFF's own budget (below the quota) sheds the heaviest addresses first.
 */
describe('login flood from several client addresses', () => {
  const summary = new SuiteSummary('reliability:login-flood');
  const budget = 100;
  const flooders = Array.from({ length: 12 }, (_, i) => `198.51.100.${String(i + 1)}`);
  const rounds = 60;
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      name: 'login-flood',
      // One proxy in front: the client address is the X-Forwarded-For entry it appended.
      bffEnv: { TRUST_PROXY: '1', LOGIN_RATE_LIMIT_MAX: '20', LOGIN_BUDGET_MAX: String(budget), LOGIN_BUDGET_WINDOW_MS: '60000' },
    });
  });
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  const loginFrom = (ip: string, code: string) =>
    stack.api.raw('POST', '/api/session', { body: JSON.stringify({ code }), headers: { 'content-type': 'application/json', 'x-forwarded-for': ip } });
  const jscode2sessionLines = (fromSeq: number) => stack.emulatorProcess.lines.filter((line) => line.seq >= fromSeq && line.json?.msg === 'jscode2session');

  it('720 made-up codes from 12 addresses cost at most the budget; buyers during and after the flood log in', async () => {
    summary.try(`${String(flooders.length * rounds)} made-up codes (1 in 10 malformed) from ${String(flooders.length)} addresses, 2 buyers`);
    const fromSeq = stack.emulatorProcess.nextSeq;
    const statuses = new Map<number, number>();
    let duringFlood: ReturnType<typeof loginFrom> | null = null;
    for (let round = 0; round < rounds; round += 1) {
      if (round === rounds / 2) duringFlood = loginFrom('203.0.113.20', await stack.emulator.issueLoginCode('oFloodBuyer000000000000001'));
      const answers = await Promise.all(
        flooders.map(async (ip, i) => {
          // 32 plausible characters, unknown to WeChat; every tenth one is certainly malformed.
          const code = (round * flooders.length + i) % 10 === 0 ? `bogus code ${String(round)}` : `F${String(i).padStart(2, '0')}R${String(round).padStart(3, '0')}`.padEnd(32, 'x');
          return (await loginFrom(ip, code)).status;
        }),
      );
      for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const during = await duringFlood;
    const afterSeq = stack.emulatorProcess.nextSeq;
    const after = await loginFrom('203.0.113.21', await stack.emulator.issueLoginCode('oFloodBuyer000000000000002'));
    // Old code: the 648 plausible codes used up WeChat's 600 and both buyers got 429.
    expect(during?.status).toBe(200);
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text)).toHaveProperty('token');
    // stdout is ordered: once the last buyer's exchange is logged, every earlier one is too.
    await stack.emulatorProcess.waitForLine((line) => line.json?.msg === 'jscode2session' && line.json.errcode === 0, { fromSeq: afterSeq, timeoutMs: 10_000, description: 'the last buyer’s jscode2session' });
    const calls = jscode2sessionLines(fromSeq);
    expect(calls.length).toBeLessThanOrEqual(budget + 1);
    expect(calls.filter((line) => line.json?.errcode === 45011)).toEqual([]);
    expect([...statuses.keys()].filter((status) => status !== 400 && status !== 429)).toEqual([]);
    summary.hold(`${String(calls.length)} jscode2session calls (budget ${String(budget)}, quota 600), answers ${JSON.stringify(Object.fromEntries(statuses))}, both buyers 200`);
  });
});
