import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderPaymentResponseSchema } from '@checkout/protocol/contract';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';

afterAll(releaseTestPostgres);

// The repository's SQL (conditional pending → paid, failure and prepay updates) on both databases.
describe.each(testBackends)('KyselyOrderRepository on %s', (backend) => {

  describe('order events are applied inside the payment transaction', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    let failNext = false;
    const seen: string[] = [];
    beforeAll(async () => {
      database = await freshDatabase(backend, 'order_repo');
      stack = await startTestStack(
        { ...database.env },
        {
          orderHooks: {
            async onEvent(event, scope) {
              const { order } = event;
              // Written through the transaction's outbox: visible only if the payment commits.
              await scope.outbox.enqueue({ kind: 'test_reaction', dedupeKey: order.id, payload: { status: order.status } }, { now: new Date() });
              if (failNext) {
                failNext = false;
                throw new Error('outbox unavailable');
              }
              seen.push(order.id);
            },
          },
        },
      );
      expect(stack.bff.database.dialect).toBe(backend);
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    it('commits with the payment, and a failure rolls the payment back so WeChat Pay retries', async () => {
      const token = await stack.login();
      const { order } = orderPaymentResponseSchema.parse(await (await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } })).json());
      const body = buildSignedNotification({ out_trade_no: order.outTradeNo, total_fee: String(order.payableFen) }, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' });
      const post = () => fetch(`${stack.bff.url}/wxpay/notify`, { method: 'POST', body });
      const row = () => stack.bff.database.db.selectFrom('orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow();
      const hookEvents = () => stack.bff.database.db.selectFrom('outbox_jobs').select('payload').where('kind', '=', 'test_reaction').where('dedupe_key', '=', order.id).execute();

      failNext = true;
      const failed = await post();
      expect(failed.status).toBe(500);
      expect(await failed.text()).toContain('FAIL');
      expect((await row()).status).toBe('pending');
      expect(await hookEvents()).toEqual([]);

      const retried = await post();
      expect(retried.status).toBe(200);
      expect((await row()).status).toBe('paid');
      expect(await hookEvents()).toEqual([{ payload: JSON.stringify({ status: 'paid' }) }]);
      expect(seen).toEqual([order.id]);
    });
  });

  describe('failed attempts are recorded on pending orders only', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'order_repo');
      stack = await startTestStack({ ...database.env });
      expect(stack.bff.database.dialect).toBe(backend);
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    it('a FAIL that lands after the payment (a stale read in a concurrent handler) leaves the paid order untouched', async () => {
      const token = await stack.login();
      const { order } = await stack.createAndPay(token, { items: [{ productId: 'kettle', quantity: 1 }] });
      const changed = await stack.bff.deps.orders.recordFailedAttempt(order.id, 'NOTENOUGH', stack.bff.deps.clock.now());
      expect(changed).toBe(false);
      const row = await stack.bff.database.db.selectFrom('orders').select(['status', 'last_failure_code']).where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'paid', last_failure_code: null });
      const events = await stack.bff.database.db.selectFrom('order_events').select('kind').where('order_id', '=', order.id).where('kind', '=', 'attempt_failed').execute();
      expect(events).toEqual([]);
    });

    it('a prepay_id obtained while the order was being paid does not replace the one it was paid with', async () => {
      const token = await stack.login();
      const { order } = await stack.createAndPay(token, { items: [{ productId: 'kettle', quantity: 1 }] });
      const before = await stack.bff.database.db.selectFrom('orders').select(['prepay_id', 'prepay_expires_at']).where('id', '=', order.id).executeTakeFirstOrThrow();
      const paid = await stack.bff.deps.orders.findById(order.id);
      if (!paid) throw new Error('order not found');
      const now = stack.bff.deps.clock.now();
      expect(await stack.bff.deps.orders.setPrepay(paid, { prepayId: 'wx_late_prepay_id', expiresAt: new Date(now.getTime() + 7_200_000), at: now })).toBeNull();
      const after = await stack.bff.database.db.selectFrom('orders').select(['prepay_id', 'prepay_expires_at']).where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(after).toEqual(before);
      const prepayEvents = await stack.bff.database.db.selectFrom('order_events').select('detail').where('order_id', '=', order.id).where('kind', '=', 'prepay').execute();
      expect(prepayEvents).toEqual([{ detail: 'created' }]);
    });

    it('a renewed prepay_id on a pending order is stored with its event and returned as a read would return it', async () => {
      const token = await stack.login();
      const created = orderPaymentResponseSchema.parse(await (await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 2 }] } })).json());
      const pending = await stack.bff.deps.orders.findById(created.order.id);
      if (!pending) throw new Error('order not found');
      const now = stack.bff.deps.clock.now();
      const renewed = await stack.bff.deps.orders.setPrepay(pending, { prepayId: 'wx_renewed_prepay_id', expiresAt: new Date(now.getTime() + 7_200_000), at: now });
      expect(renewed?.prepayId).toBe('wx_renewed_prepay_id');
      expect(renewed).toEqual(await stack.bff.deps.orders.findById(created.order.id));
      const prepayEvents = await stack.bff.database.db.selectFrom('order_events').select('detail').where('order_id', '=', created.order.id).where('kind', '=', 'prepay').execute();
      expect(prepayEvents.map((e) => e.detail).sort()).toEqual(['created', 'renewed']);
    });

    it('a pending order keeps the failure code (control case)', async () => {
      const token = await stack.login();
      const created = orderPaymentResponseSchema.parse(await (await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } })).json());
      expect(await stack.bff.deps.orders.recordFailedAttempt(created.order.id, 'NOTENOUGH', stack.bff.deps.clock.now())).toBe(true);
      const row = await stack.bff.database.db.selectFrom('orders').select(['status', 'last_failure_code']).where('id', '=', created.order.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'pending', last_failure_code: 'NOTENOUGH' });
    });
  });
});
