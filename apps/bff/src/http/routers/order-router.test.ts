import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, orderListResponseSchema, orderPaymentResponseSchema, orderResponseSchema, quoteResponseSchema } from '@checkout/protocol/contract';
import type { OrderPaymentResponse } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../../test-support/test-stack';
import { startTestStack } from '../../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../../test-support/test-databases';

afterAll(releaseTestPostgres);

// Order insert, idempotency key, history paging SQL on both databases.
describe.each(testBackends)('order router on %s', (backend) => {
  async function createOrder(stack: TestStack, token: string, body: unknown, headers: Record<string, string> = {}): Promise<OrderPaymentResponse> {
    const response = await stack.api('/api/orders', { token, json: body, headers });
    expect(response.status).toBe(201);
    return orderPaymentResponseSchema.parse(await response.json());
  }

  describe.each(['MD5', 'HMAC-SHA256'] as const)('checkout with %s', (signType) => {
    let stack: TestStack;
    let database: FreshDatabase;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'orders');
      stack = await startTestStack({ ...database.env, WXPAY_SIGN_TYPE: signType });
      expect(stack.bff.database.dialect).toBe(backend);
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    it('prices on the server, pays through the cashier and becomes paid by the notification', async () => {
      const token = await stack.login();
      const { order, payment } = await createOrder(stack, token, { items: [{ productId: 'kettle', quantity: 2 }] });
      expect(order).toMatchObject({ status: 'pending', totalFen: 178_00, payableFen: 178_00, subsidyDiscountFen: 0, cancelRequested: false });
      expect(order.id).toMatch(/^ord_[0-9A-Za-z]{22}$/);
      expect(payment.signType).toBe(signType);
      expect(payment.paySign).toHaveLength(signType === 'MD5' ? 32 : 64);

      // Checkout answers from what it wrote, without reading the order back: it must be what a read returns.
      const stored = orderResponseSchema.parse(await (await stack.api(`/api/orders/${order.id}`, { token })).json());
      expect(order).toEqual(stored.order);

      const atWeChat = stack.emulator.control.order(order.outTradeNo);
      expect(atWeChat).toMatchObject({ totalFee: 178_00, signType, tradeState: 'NOTPAY', notifyUrl: `${stack.bff.url}/wxpay/notify` });

      // The emulator's cashier checks the five fields exactly as the WeChat client does.
      const result = await stack.emulator.control.cashier({ appId: devMerchant.appId, ...payment }, 'pay');
      expect(result.errMsg).toBe('requestPayment:ok');
      await stack.emulator.control.waitForDeliveries((d) => d.outTradeNo === order.outTradeNo && d.acked, 10_000);

      const read = await stack.api(`/api/orders/${order.id}`, { token });
      const { order: paid } = orderResponseSchema.parse(await read.json());
      expect(paid.status).toBe('paid');
      expect(paid.paidAt).not.toBeNull();
    });
  });

  describe('orders', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'orders');
      stack = await startTestStack({ ...database.env, ORDER_PAYMENT_WINDOW_SECONDS: String(4 * 3600) });
      expect(stack.bff.database.dialect).toBe(backend);
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });
    afterEach(() => stack.emulator.control.clearFaults());

    it('ignores prices and totals sent by the client', async () => {
      const token = await stack.login();
      const { order } = await createOrder(stack, token, {
        items: [{ productId: 'fridge-510', quantity: 1, priceFen: 1, unitPriceFen: 1 }],
        totalFen: 1,
        payableFen: 1,
      });
      expect(order.items[0]?.unitPriceFen).toBe(4_299_00);
      expect(order.payableFen).toBe(4_299_00);
      expect(stack.emulator.control.order(order.outTradeNo)?.totalFee).toBe(4_299_00);
    });

    it('applies the national-subsidy rule to appliances only, and refuses a claim without one', async () => {
      const token = await stack.login();
      const subsidy = {
        realName: '张三',
        identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
        idCardNumber: '11010519491231002X',
        phoneNumber: '13800138000',
        receiveRegionCode: '110105',
        qualificationRegionCode: 110000,
      };
      const { order } = await createOrder(stack, token, { items: [{ productId: 'washer-10kg', quantity: 1 }, { productId: 'kettle', quantity: 1 }], subsidy });
      // SECOND_LEVEL 15 % of 1999.00 = 299.85 → 29985 fen; the kettle gets nothing.
      expect(order.items.map((item) => item.subsidyDiscountFen)).toEqual([29_985, 0]);
      expect(order.payableFen).toBe(1_999_00 + 89_00 - 29_985);
      expect(stack.emulator.control.order(order.outTradeNo)?.totalFee).toBe(order.payableFen);
      const stored = await stack.bff.database.db.selectFrom('order_subsidies').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
      expect(stored.pii_sealed).not.toContain('13800138000');
      expect(JSON.stringify(stack.logLines)).not.toContain('13800138000');

      // Two washers: one unit is subsidised (one per order); two appliances: refused (one gov sync per order).
      const two = await createOrder(stack, token, { items: [{ productId: 'washer-10kg', quantity: 2 }], subsidy });
      expect(two.order.subsidyDiscountFen).toBe(29_985);
      for (const items of [[{ productId: 'kettle', quantity: 1 }], [{ productId: 'washer-10kg', quantity: 1 }, { productId: 'fridge-510', quantity: 1 }]]) {
        const refused = await stack.api('/api/orders', { token, json: { items, subsidy } });
        expect(refused.status).toBe(422);
        expect(errorBodySchema.parse(await refused.json()).error.code).toBe('SUBSIDY_NOT_ELIGIBLE');
      }
    });

    it('quotes a cart without a session or an order: the amounts the order then charges, the same error codes', async () => {
      const items = [{ productId: 'washer-10kg', quantity: 1 }, { productId: 'kettle', quantity: 2 }];
      const quoted = await stack.api('/api/orders/quote', { json: { items, claimSubsidy: true } });
      expect(quoted.status).toBe(200);
      const { quote } = quoteResponseSchema.parse(await quoted.json());
      expect(quote.items.map((line) => [line.productId, line.lineTotalFen, line.subsidyDiscountFen])).toEqual([['washer-10kg', 1_999_00, 29_985], ['kettle', 178_00, 0]]);
      expect(quote).toMatchObject({ totalFen: 1_999_00 + 178_00, subsidyDiscountFen: 29_985, payableFen: 1_999_00 + 178_00 - 29_985 });
      const plain = quoteResponseSchema.parse(await (await stack.api('/api/orders/quote', { json: { items } })).json()).quote;
      expect(plain).toMatchObject({ subsidyDiscountFen: 0, payableFen: 1_999_00 + 178_00 });

      const subsidy = { realName: '张三', identityDocumentType: 'ID_DOC_TYPE_ID_CARD', idCardNumber: '11010519491231002X', phoneNumber: '13800138000', receiveRegionCode: '110105', qualificationRegionCode: 110000 };
      const { order } = await createOrder(stack, await stack.login(), { items, subsidy });
      expect([order.totalFen, order.subsidyDiscountFen, order.payableFen]).toEqual([quote.totalFen, quote.subsidyDiscountFen, quote.payableFen]);

      for (const [json, status, code] of [
        [{ items: [{ productId: 'nope', quantity: 1 }] }, 422, 'PRODUCT_NOT_FOUND'],
        [{ items: [{ productId: 'kettle', quantity: 1 }], claimSubsidy: true }, 422, 'SUBSIDY_NOT_ELIGIBLE'],
        [{ items: [] }, 400, 'VALIDATION_FAILED'],
      ] as const) {
        const refused = await stack.api('/api/orders/quote', { json });
        expect(refused.status).toBe(status);
        expect(errorBodySchema.parse(await refused.json()).error.code).toBe(code);
      }
    });

    it('answers unknown products and invalid bodies with stable codes', async () => {
      const token = await stack.login();
      const unknown = await stack.api('/api/orders', { token, json: { items: [{ productId: 'nope', quantity: 1 }] } });
      expect(unknown.status).toBe(422);
      expect(errorBodySchema.parse(await unknown.json()).error).toMatchObject({ code: 'PRODUCT_NOT_FOUND', details: [{ path: 'items.0.productId' }] });

      const invalid = await stack.api('/api/orders', { token, json: { items: [] } });
      expect(invalid.status).toBe(400);
      expect(errorBodySchema.parse(await invalid.json()).error.code).toBe('VALIDATION_FAILED');

      const malformed = await stack.api('/api/orders', { token, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"items":' });
      expect(malformed.status).toBe(400);
      expect(errorBodySchema.parse(await malformed.json()).error.code).toBe('MALFORMED_JSON');

      const large = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }], pad: 'x'.repeat(20_000) } });
      expect(large.status).toBe(413);
      expect(errorBodySchema.parse(await large.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('returns the same order for a repeated Idempotency-Key and refuses the key with another body', async () => {
      const token = await stack.login();
      const body = { items: [{ productId: 'filter-pack', quantity: 1 }] };
      const headers = { 'idempotency-key': 'tap-1' };
      const [first, second] = await Promise.all([stack.api('/api/orders', { token, json: body, headers }), stack.api('/api/orders', { token, json: body, headers })]);
      const a = orderPaymentResponseSchema.parse(await first.json());
      const b = orderPaymentResponseSchema.parse(await second.json());
      expect(b.order.id).toBe(a.order.id);
      expect(b.payment.package).toBe(a.payment.package);
      expect(stack.emulator.control.orders().filter((o) => o.outTradeNo === a.order.outTradeNo)).toHaveLength(1);

      const reused = await stack.api('/api/orders', { token, json: { items: [{ productId: 'filter-pack', quantity: 2 }] }, headers });
      expect(reused.status).toBe(422);
      expect(errorBodySchema.parse(await reused.json()).error.code).toBe('IDEMPOTENCY_KEY_REUSED');

      // Keys are per user: another buyer's identical key is a different order.
      const other = await createOrder(stack, await stack.login(), body, headers);
      expect(other.order.id).not.toBe(a.order.id);
    });

    it('never shows, pays or cancels another user’s order', async () => {
      const alice = await stack.login();
      const bob = await stack.login();
      const { order } = await createOrder(stack, alice, { items: [{ productId: 'kettle', quantity: 1 }] });
      for (const [path, method] of [
        [`/api/orders/${order.id}`, 'GET'],
        [`/api/orders/${order.id}/pay`, 'POST'],
        [`/api/orders/${order.id}/cancel`, 'POST'],
      ] as const) {
        const response = await stack.api(path, { token: bob, method });
        expect(response.status).toBe(404);
        expect(errorBodySchema.parse(await response.json()).error.code).toBe('ORDER_NOT_FOUND');
      }
      const list = orderListResponseSchema.parse(await (await stack.api('/api/orders', { token: bob })).json());
      expect(list.orders.map((o) => o.id)).not.toContain(order.id);
      const own = await stack.api(`/api/orders/${order.id}`, { token: alice });
      expect(orderResponseSchema.parse(await own.json()).order.cancelRequested).toBe(false);
    });

    it('paginates the caller’s history with an opaque cursor', async () => {
      const token = await stack.login();
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push((await createOrder(stack, token, { items: [{ productId: 'test-1fen', quantity: 1 }] })).order.id);
      const first = orderListResponseSchema.parse(await (await stack.api('/api/orders?limit=2', { token })).json());
      expect(first.orders).toHaveLength(2);
      expect(first.nextCursor).not.toBeNull();
      const second = orderListResponseSchema.parse(await (await stack.api(`/api/orders?limit=2&cursor=${first.nextCursor ?? ''}`, { token })).json());
      expect(second.nextCursor).toBeNull();
      expect([...first.orders, ...second.orders].map((o) => o.id).sort()).toEqual([...ids].sort());
    });

    it('re-pay reuses the prepay_id while valid and gets a new one after it expired', async () => {
      let token = await stack.login('o-repay-buyer');
      const { order, payment } = await createOrder(stack, token, { items: [{ productId: 'kettle', quantity: 1 }] });
      const again = orderPaymentResponseSchema.parse(await (await stack.api(`/api/orders/${order.id}/pay`, { token, method: 'POST' })).json());
      expect(again.payment.package).toBe(payment.package);

      stack.emulator.control.advanceClock(2 * 3600 * 1000 + 60_000);
      const stale = await stack.emulator.control.cashier({ appId: devMerchant.appId, ...payment }, 'pay');
      expect(stale.errMsg).not.toBe('requestPayment:ok');
      // Two hours later the session expired too: the same buyer signs in again.
      expect((await stack.api(`/api/orders/${order.id}`, { token })).status).toBe(401);
      token = await stack.login('o-repay-buyer');

      const renewed = orderPaymentResponseSchema.parse(await (await stack.api(`/api/orders/${order.id}/pay`, { token, method: 'POST' })).json());
      expect(renewed.payment.package).not.toBe(payment.package);
      expect(renewed.order.outTradeNo).toBe(order.outTradeNo);
      expect((await stack.emulator.control.cashier({ appId: devMerchant.appId, ...renewed.payment }, 'pay')).errMsg).toBe('requestPayment:ok');
      await stack.emulator.control.waitForDeliveries((d) => d.outTradeNo === order.outTradeNo && d.acked, 10_000);
      const paid = orderResponseSchema.parse(await (await stack.api(`/api/orders/${order.id}`, { token })).json());
      expect(paid.order.status).toBe('paid');

      const refused = await stack.api(`/api/orders/${order.id}/pay`, { token, method: 'POST' });
      expect(refused.status).toBe(409);
      expect(errorBodySchema.parse(await refused.json()).error.code).toBe('ORDER_NOT_PAYABLE');
    });
  });
});
