import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderPaymentResponseSchema, orderResponseSchema } from '@checkout/protocol/contract';
import type { Order } from '@checkout/protocol/contract';
import type { TestStack } from '../test-support/test-stack';
import { startTestStack } from '../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../test-support/test-databases';

afterAll(releaseTestPostgres);

// The sweeper's claim/lease and settle SQL on both databases.
describe.each(testBackends)('sweeper on %s', (backend) => {
  const minutes = (n: number) => n * 60_000;

  describe('sweeper', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    let token: string;
    beforeAll(async () => {
      // Notifications go nowhere: only orderquery/closeorder can settle these orders.
      database = await freshDatabase(backend, 'sweeper');
      stack = await startTestStack({ ...database.env, WXPAY_NOTIFY_URL: 'http://127.0.0.1:9/wxpay/notify', SESSION_TTL_SECONDS: String(24 * 3600) });
      expect(stack.bff.database.dialect).toBe(backend);
      token = await stack.login();
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    async function newOrder(): Promise<Order> {
      const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
      return orderPaymentResponseSchema.parse(await response.json()).order;
    }
    async function read(order: Order): Promise<Order> {
      return orderResponseSchema.parse(await (await stack.api(`/api/orders/${order.id}`, { token })).json()).order;
    }
    async function status(order: Order): Promise<string> {
      const row = await stack.bff.database.db.selectFrom('orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow();
      return row.status;
    }

    it('confirms a paid order whose notification never arrived, and closes expired ones', async () => {
      const paidAtWeChat = await newOrder();
      const abandoned = await newOrder();
      stack.emulator.control.payOrder(paidAtWeChat.outTradeNo);

      // Not stale yet: the sweeper leaves both alone.
      const early = await stack.bff.sweeper.runOnce();
      expect(early.queried).toBe(0);
      expect(await status(paidAtWeChat)).toBe('pending');

      stack.emulator.control.advanceClock(minutes(2));
      const report = await stack.bff.sweeper.runOnce();
      expect(report.paid).toBeGreaterThanOrEqual(1);
      expect(await status(paidAtWeChat)).toBe('paid');
      expect(await status(abandoned)).toBe('pending');

      // Past the 30-minute payment window: closed at WeChat Pay and here.
      stack.emulator.control.advanceClock(minutes(30));
      await stack.bff.sweeper.runOnce();
      expect(await status(abandoned)).toBe('closed');
      expect(stack.emulator.control.order(abandoned.outTradeNo)?.tradeState).toBe('CLOSED');
      expect(await status(paidAtWeChat)).toBe('paid');
    });

    it('records a cancel inside the 5-minute floor and closes the order once allowed', async () => {
      const order = await newOrder();
      const cancelled = orderResponseSchema.parse(await (await stack.api(`/api/orders/${order.id}/cancel`, { token, method: 'POST' })).json()).order;
      expect(cancelled).toMatchObject({ status: 'pending', cancelRequested: true });
      expect(stack.emulator.control.order(order.outTradeNo)?.tradeState).toBe('NOTPAY');
      const pay = await stack.api(`/api/orders/${order.id}/pay`, { token, method: 'POST' });
      expect(pay.status).toBe(409);

      await stack.bff.sweeper.runOnce();
      expect(await status(order)).toBe('pending');

      stack.emulator.control.advanceClock(minutes(5) + 1000);
      await stack.bff.sweeper.runOnce();
      expect(await status(order)).toBe('closed');
      expect(stack.emulator.control.order(order.outTradeNo)?.tradeState).toBe('CLOSED');
      expect((await read(order)).closedAt).not.toBeNull();
    });

    it('closes a PAYERROR order at WeChat Pay once the floor allows, so it can never be paid later', async () => {
      const order = await newOrder();
      stack.emulator.control.failOrder(order.outTradeNo);
      stack.emulator.control.advanceClock(minutes(2));
      await stack.bff.sweeper.runOnce();
      expect(await status(order)).toBe('failed');
      // Inside the 5-minute floor WeChat Pay would refuse closeorder: still open there.
      expect(stack.emulator.control.order(order.outTradeNo)?.tradeState).toBe('PAYERROR');

      stack.emulator.control.advanceClock(minutes(4));
      await stack.bff.sweeper.runOnce();
      expect(stack.emulator.control.order(order.outTradeNo)?.tradeState).toBe('CLOSED');
      const row = await stack.bff.database.db.selectFrom('orders').select(['status', 'closed_at', 'close_reason']).where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'failed', close_reason: 'PAYERROR' });
      expect(row.closed_at).not.toBeNull();
      expect(() => stack.emulator.control.payOrder(order.outTradeNo)).toThrowError(expect.objectContaining({ code: 'ORDERCLOSED' }) as Error);

      // Closed once: later sweeps leave it alone.
      const closes = () => stack.wxpayCalls.filter((c) => c.interfaceName === 'closeorder' && c.outTradeNo === order.outTradeNo).length;
      const before = closes();
      stack.emulator.control.advanceClock(minutes(2));
      await stack.bff.sweeper.runOnce();
      expect(closes()).toBe(before);
    });

    it('treats ORDERPAID on close as paid (confirmed by orderquery), then refunds the cancelled order automatically', async () => {
      const order = await newOrder();
      await stack.api(`/api/orders/${order.id}/cancel`, { token, method: 'POST' });
      // The buyer paid anyway before the close could happen.
      stack.emulator.control.payOrder(order.outTradeNo);
      stack.emulator.control.advanceClock(minutes(5) + 1000);
      await stack.bff.sweeper.runOnce();
      const row = await stack.bff.database.db.selectFrom('orders').select(['paid_at', 'paid_after_close']).where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(row.paid_at).not.toBeNull();
      expect(Number(row.paid_after_close)).toBe(1);
      // Money taken on a cancelled order: the same sweep's refund step gave it back.
      expect(stack.emulator.control.order(order.outTradeNo)?.tradeState).toBe('REFUND');
      expect(stack.emulator.control.refunds(order.outTradeNo).map((r) => r.refundFee)).toEqual([order.payableFen]);
      await stack.emulator.control.waitForDeliveries((d) => d.kind === 'refund' && d.outTradeNo === order.outTradeNo && d.acked, 10_000);
      expect(await status(order)).toBe('refunded');
    });

    it('cancels immediately after the floor, and GET confirms a pending order with orderquery', async () => {
      const late = await newOrder();
      stack.emulator.control.advanceClock(minutes(6));
      const closed = orderResponseSchema.parse(await (await stack.api(`/api/orders/${late.id}/cancel`, { token, method: 'POST' })).json()).order;
      expect(closed.status).toBe('closed');

      const order = await newOrder();
      stack.emulator.control.payOrder(order.outTradeNo);
      stack.emulator.control.advanceClock(10_000);
      expect((await read(order)).status).toBe('paid');
    });
  });

  describe('sweeper shutdown', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'sweeper');
      stack = await startTestStack({ ...database.env, WXPAY_NOTIFY_URL: 'http://127.0.0.1:9/wxpay/notify' });
      expect(stack.bff.database.dialect).toBe(backend);
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    it('stop() lets the order in hand finish and leaves the rest of the batch for the next sweep', async () => {
      const token = await stack.login();
      for (let i = 0; i < 5; i += 1) {
        const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
        expect(response.status).toBe(201);
      }
      stack.emulator.control.advanceClock(minutes(2));
      // Slow answers, as when WeChat Pay struggles: the whole batch would hold the shutdown.
      stack.emulator.control.setFaults('orderquery', { latencyMs: 500 });
      const queries = () => stack.sent.filter((request) => request.url.endsWith('/pay/orderquery')).length;
      const sweep = stack.bff.sweeper.runOnce();
      for (let i = 0; i < 1000 && queries() === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
      await stack.bff.sweeper.stop();
      const report = await sweep;
      expect(report.queried).toBeGreaterThanOrEqual(1);
      expect(report.queried).toBeLessThan(5);
      stack.emulator.control.clearFaults();
    });
  });
});
