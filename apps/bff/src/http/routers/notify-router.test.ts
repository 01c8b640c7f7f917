import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderPaymentResponseSchema, orderResponseSchema } from '@checkout/protocol/contract';
import type { Order } from '@checkout/protocol/contract';
import { buildNotifyAck, buildXml } from '@checkout/protocol/wxpay';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../../test-support/test-stack';
import { startTestStack } from '../../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../../test-support/test-databases';

afterAll(releaseTestPostgres);

// Exactly-once pending → paid (conditional update, notification log) on both databases.
describe.each(testBackends)('POST /wxpay/notify on %s', (backend) => {
  function tamper(body: string, from: string, to: string): string {
    if (!body.includes(from)) throw new Error(`fixture lacks ${from}`);
    return body.replace(from, to);
  }

  const adminToken = 'notify-test-admin-token-0123456789abcdef';
  const ack = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

  describe('POST /wxpay/notify', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    let token: string;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'notify');
      stack = await startTestStack({ ...database.env, WXPAY_SIGN_TYPE: 'HMAC-SHA256', ADMIN_TOKEN: adminToken });
      expect(stack.bff.database.dialect).toBe(backend);
      token = await stack.login();
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    async function pendingOrder(): Promise<Order> {
      const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
      return orderPaymentResponseSchema.parse(await response.json()).order;
    }

    function notification(order: Order, overrides: Record<string, string | undefined> = {}, signType: 'MD5' | 'HMAC-SHA256' = 'HMAC-SHA256'): string {
      return buildSignedNotification(
        { out_trade_no: order.outTradeNo, total_fee: String(order.payableFen), transaction_id: `42000${order.outTradeNo.slice(-23)}`, ...overrides },
        { apiKey: devMerchant.apiKey, signType },
      );
    }

    function post(body: string): Promise<Response> {
      return fetch(`${stack.bff.url}/wxpay/notify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    }

    async function stored(orderId: string) {
      const order = await stack.bff.database.db.selectFrom('orders').select(['status', 'transaction_id', 'paid_at']).where('id', '=', orderId).executeTakeFirstOrThrow();
      const notifications = await stack.bff.database.db.selectFrom('pay_notifications').select(['applied', 'raw_body', 'repeat_count']).where('order_id', '=', orderId).execute();
      const paidEvents = await stack.bff.database.db.selectFrom('order_events').select('id').where('order_id', '=', orderId).where('kind', '=', 'paid').execute();
      return { order, notifications, paidEvents: paidEvents.length };
    }

    it('acknowledges with the exact documented body', () => {
      expect(buildNotifyAck()).toBe(ack);
    });

    it('applies 50 concurrent copies of one notification exactly once and acks every copy', async () => {
      const order = await pendingOrder();
      const body = notification(order);
      const responses = await Promise.all(Array.from({ length: 50 }, () => post(body)));
      const answers = await Promise.all(responses.map(async (response) => ({ status: response.status, text: await response.text() })));
      expect(answers.every((answer) => answer.status === 200 && answer.text === ack)).toBe(true);

      const state = await stored(order.id);
      expect(state.order.status).toBe('paid');
      expect(state.order.transaction_id).toBe(`42000${order.outTradeNo.slice(-23)}`);
      expect(state.paidEvents).toBe(1);
      // One row for the one notification: copies that raced the first transaction only counted.
      expect(state.notifications.map((n) => [n.applied, n.raw_body])).toEqual([[1, body]]);
      expect(state.notifications[0]?.repeat_count).toBeLessThanOrEqual(49);

      const read = orderResponseSchema.parse(await (await stack.api(`/api/orders/${order.id}`, { token })).json());
      expect(read.order.status).toBe('paid');
    });

    it('acks later copies of an applied payment without writing anything', async () => {
      const order = await pendingOrder();
      const body = notification(order);
      expect((await post(body)).status).toBe(200);
      const paid = await stored(order.id);
      for (let i = 0; i < 3; i += 1) {
        const response = await post(body);
        expect([response.status, await response.text()]).toEqual([200, ack]);
      }
      const after = await stored(order.id);
      expect(after.order).toEqual(paid.order);
      expect(after.paidEvents).toBe(1);
      expect(after.notifications).toEqual(paid.notifications);
      expect(after.notifications.map((n) => n.applied)).toEqual([1]);
    });

    async function anomalies(orderId: string) {
      return stack.bff.database.db.selectFrom('payment_anomalies').select(['kind', 'transaction_id', 'amount_fen', 'status']).where('order_id', '=', orderId).execute();
    }

    async function metric(name: string): Promise<string[]> {
      const text = await (await fetch(`${stack.bff.url}/metrics`)).text();
      return text.split('\n').filter((line) => line.startsWith(name));
    }

    it('a second transaction_id for a paid order: order unchanged, acked, recorded once as a possible double payment however often it is replayed', async () => {
      const order = await pendingOrder();
      expect((await post(notification(order))).status).toBe(200);
      const paid = await stored(order.id);
      const from = stack.logLines.length;
      const second = notification(order, { transaction_id: '4200000000000000000000000999' });
      for (let i = 0; i < 20; i += 1) expect([(await post(second)).status]).toEqual([200]);
      // A replay with a fresh nonce_str (so another sign) is the same payment fact.
      expect((await post(notification(order, { transaction_id: '4200000000000000000000000999', nonce_str: 'anotherNonce0001' }))).status).toBe(200);
      const after = await stored(order.id);
      expect(after.order).toEqual(paid.order);
      expect(after.notifications.map((n) => [n.applied, n.repeat_count]).sort()).toEqual([[0, 20], [1, 0]]);
      expect(await anomalies(order.id)).toEqual([{ kind: 'double_payment', transaction_id: '4200000000000000000000000999', amount_fen: expect.anything() as unknown, status: 'open' }]);
      expect(Number((await anomalies(order.id))[0]?.amount_fen)).toBe(order.payableFen);
      const errors = stack.logLines.slice(from).filter((line) => line.includes('possible double payment'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('"level":50');
      expect((await metric('bff_payment_anomalies_total')).some((line) => line.includes('kind="double_payment"') && !line.endsWith(' 0'))).toBe(true);

      const list = await stack.api('/admin/payment-anomalies?status=open', { headers: { authorization: `Bearer ${adminToken}` } });
      expect(list.status).toBe(200);
      const body = (await list.json()) as { anomalies: { outTradeNo: string; kind: string; amountFen: number }[] };
      expect(body.anomalies).toContainEqual(expect.objectContaining({ outTradeNo: order.outTradeNo, kind: 'double_payment', amountFen: order.payableFen }));
      expect((await stack.api('/admin/payment-anomalies')).status).toBe(401);
    });

    it('200 replays of a validly signed result_code=FAIL add one row and one event', async () => {
      const order = await pendingOrder();
      const fail = notification(order, { result_code: 'FAIL', err_code: 'NOTENOUGH', err_code_des: '余额不足', transaction_id: undefined, time_end: undefined, bank_type: undefined });
      for (let i = 0; i < 200; i += 1) expect(await (await post(fail)).text()).toBe(ack);
      const state = await stored(order.id);
      expect(state.notifications.map((n) => n.repeat_count)).toEqual([199]);
      const events = await stack.bff.database.db.selectFrom('order_events').select('kind').where('order_id', '=', order.id).where('kind', '=', 'attempt_failed').execute();
      expect(events).toHaveLength(1);
    });

    it('a notification signed with the other algorithm than the order was placed with is refused, state unchanged, counted', async () => {
      const order = await pendingOrder();
      const before = await stored(order.id);
      const response = await post(notification(order, {}, 'MD5'));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('sign_type_mismatch');
      expect(await stored(order.id)).toEqual(before);
      expect((await metric('bff_wxpay_notifications_total')).some((line) => line.includes('reason="sign_type_mismatch"'))).toBe(true);
    });

    it("accepts the seed example's unindexed coupon fields and unknown fields: paid, kept raw, logged and counted", async () => {
      const order = await pendingOrder();
      const from = stack.logLines.length;
      const body = notification(order, { coupon_fee: '10', coupon_count: '1', coupon_type: 'CASH', coupon_id: '10000', cash_fee: String(order.payableFen - 10), field_added_in_2031: 'x' });
      expect(await (await post(body)).text()).toBe(ack);
      const state = await stored(order.id);
      expect(state.order.status).toBe('paid');
      expect(state.notifications.map((n) => n.raw_body)).toEqual([body]);
      expect(stack.logLines.slice(from).some((line) => line.includes('undocumented shape') && line.includes('coupon_id'))).toBe(true);
      expect((await metric('bff_wxpay_notification_unexpected_shapes_total')).some((line) => line.includes('field="coupon_id"'))).toBe(true);
    });

    it('a payment on a cancelled order is recorded as paid, flagged, listed as paid_after_close and logged at error level', async () => {
      const order = await pendingOrder();
      expect((await stack.api(`/api/orders/${order.id}/cancel`, { method: 'POST', token })).status).toBe(200);
      const from = stack.logLines.length;
      expect(await (await post(notification(order))).text()).toBe(ack);
      const row = await stack.bff.database.db.selectFrom('orders').select(['status', 'paid_after_close']).where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'paid', paid_after_close: 1 });
      expect((await anomalies(order.id)).map((a) => a.kind)).toEqual(['paid_after_close']);
      expect(stack.logLines.slice(from).some((line) => line.includes('"level":50') && line.includes('closed, cancelled or failed'))).toBe(true);
      // A normal payment is not flagged.
      const normal = await pendingOrder();
      await post(notification(normal));
      expect(await stack.bff.database.db.selectFrom('orders').select('paid_after_close').where('id', '=', normal.id).executeTakeFirstOrThrow()).toEqual({ paid_after_close: 0 });
      expect(await anomalies(normal.id)).toEqual([]);
    });

    it('accepts emulator duplicates (HMAC without sign_type) once', async () => {
      stack.emulator.control.setNotifyOptions({ duplicates: 5, omitSignType: true });
      try {
        const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'test-1fen', quantity: 1 }] } });
        const { order } = orderPaymentResponseSchema.parse(await response.json());
        stack.emulator.control.payOrder(order.outTradeNo);
        const deliveries = await stack.emulator.control.waitForDeliveries((d) => d.outTradeNo === order.outTradeNo, 10_000, 5);
        expect(deliveries.every((d) => d.acked)).toBe(true);
        const state = await stored(order.id);
        expect(state.order.status).toBe('paid');
        expect(state.paidEvents).toBe(1);
      } finally {
        stack.emulator.control.setNotifyOptions({ duplicates: 1, omitSignType: false });
      }
    });

    const rejections: [string, (order: Order) => string, number][] = [
      // Only the signature can catch this one: amount and merchant still match.
      ['a tampered body', (order) => tamper(notification(order), '<bank_type>CMC</bank_type>', '<bank_type>ICBC</bank_type>'), 400],
      ['a wrong amount (validly signed)', (order) => notification(order, { total_fee: String(order.payableFen - 1) }), 400],
      ['a wrong mch_id (validly signed)', (order) => notification(order, { mch_id: '1900000999' }), 400],
      ['a wrong appid (validly signed)', (order) => notification(order, { appid: 'wx0000000000000bad' }), 400],
      [
        'an unsigned body',
        (order) =>
          buildXml({
            return_code: 'SUCCESS',
            result_code: 'SUCCESS',
            appid: devMerchant.appId,
            mch_id: devMerchant.mchId,
            out_trade_no: order.outTradeNo,
            total_fee: String(order.payableFen),
            transaction_id: '4200000000000000000000000001',
          }),
        400,
      ],
      ['a DOCTYPE body', (order) => `<!DOCTYPE xml [<!ENTITY fee "${order.payableFen}">]>${notification(order)}`, 400],
      ['a body signed with another key', (order) => buildSignedNotification({ out_trade_no: order.outTradeNo, total_fee: String(order.payableFen) }, { apiKey: 'x'.repeat(32), signType: 'MD5' }), 400],
      ['an oversize body', (order) => notification(order, { attach: 'a'.repeat(70 * 1024) }), 413],
    ];

    it.each(rejections)('rejects %s with a FAIL ack and leaves the order unchanged', async (_name, makeBody, status) => {
      const order = await pendingOrder();
      const before = await stored(order.id);
      const response = await post(makeBody(order));
      expect(response.status).toBe(status);
      const text = await response.text();
      expect(text).toContain('<return_code>FAIL</return_code>');
      expect(text).not.toBe(ack);
      expect(await stored(order.id)).toEqual(before);
      expect(before.order).toMatchObject({ status: 'pending', transaction_id: null });
    });

    it('records a validly signed result_code=FAIL and keeps the order pending', async () => {
      const order = await pendingOrder();
      const response = await post(notification(order, { result_code: 'FAIL', err_code: 'NOTENOUGH', err_code_des: '余额不足', transaction_id: undefined, time_end: undefined, bank_type: undefined }));
      expect(await response.text()).toBe(ack);
      const state = await stored(order.id);
      expect(state.order.status).toBe('pending');
      expect(state.notifications).toHaveLength(1);
      expect(state.notifications[0]?.applied).toBe(0);
    });

    it('logs rejections as warnings without keys, signatures or bodies', async () => {
      const order = await pendingOrder();
      const body = notification(order, { total_fee: '1' });
      await post(body);
      const sign = /<sign>(?:<!\[CDATA\[)?([0-9A-F]+)/.exec(body)?.[1] ?? 'missing';
      const warnings = stack.logLines.filter((line) => line.includes('pay notification rejected'));
      expect(warnings.length).toBeGreaterThan(0);
      const all = stack.logLines.join('\n');
      expect(all).not.toContain(devMerchant.apiKey);
      expect(all).not.toContain(sign);
      expect(all).not.toContain('<xml>');
    });
  });
});
