import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderPaymentResponseSchema, orderResponseSchema } from '@checkout/protocol/contract';
import { buildXml, parseXml, withSign } from '@checkout/protocol/wxpay';
import { devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../../test-support/test-stack';
import { startTestStack } from '../../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../../test-support/test-databases';

afterAll(releaseTestPostgres);

// The orderquery settle path writes through the repository: on both databases.
describe.each(testBackends)('orderquery confirmation on %s', (backend) => {
  /** Rewrites the emulator's orderquery answer into a validly signed one saying "paid" with `change`. */
  type AnswerRewrite = (fields: Record<string, string>) => Record<string, string>;

  describe('orderquery confirmation checks who the answer is about', () => {
    let stack: TestStack;
    let database: FreshDatabase;
    let rewrite: AnswerRewrite | null = null;
    beforeAll(async () => {
      database = await freshDatabase(backend, 'orderquery');
      stack = await startTestStack(
        { ...database.env },
        {
          fetch: async (input, init) => {
            const response = await fetch(input, init);
            const url = input instanceof Request ? input.url : String(input);
            if (!rewrite || !url.endsWith('/pay/orderquery')) return response;
            const { sign: _sign, ...fields } = parseXml(await response.text());
            const signed = withSign(rewrite(fields), devMerchant.apiKey, 'HMAC-SHA256');
            return new Response(buildXml(signed), { status: 200, headers: { 'content-type': 'text/xml' } });
          },
        },
      );
      expect(stack.bff.database.dialect).toBe(backend);
    });
    afterAll(async () => {
      await stack.close();
      database.drop();
    });

    async function pendingOrder(token: string) {
      const created = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
      return orderPaymentResponseSchema.parse(await created.json()).order;
    }

    it.each([
      ['another out_trade_no', { out_trade_no: 'SOMEONE_ELSES_ORDER' }],
      ['another merchant', { mch_id: '1900000999' }],
    ])('a signed SUCCESS about %s leaves the order pending', async (_name, change) => {
      const token = await stack.login();
      const order = await pendingOrder(token);
      rewrite = (fields) => ({
        ...fields,
        trade_state: 'SUCCESS',
        transaction_id: `4200${String(Date.now()).padStart(24, '0')}`,
        total_fee: String(order.payableFen),
        time_end: '20260101120000',
        ...change,
      });
      try {
        stack.emulator.control.advanceClock(10_000);
        const read = await stack.api(`/api/orders/${order.id}`, { token });
        expect(orderResponseSchema.parse(await read.json()).order.status).toBe('pending');
      } finally {
        rewrite = null;
      }
      const row = await stack.bff.database.db.selectFrom('orders').select(['status', 'transaction_id']).where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'pending', transaction_id: null });
    });

    it('the same answer about this order (control case) marks it paid', async () => {
      const token = await stack.login();
      const order = await pendingOrder(token);
      rewrite = (fields) => ({ ...fields, trade_state: 'SUCCESS', transaction_id: '4200000000000000000000000001', total_fee: String(order.payableFen), time_end: '20260101120000' });
      try {
        stack.emulator.control.advanceClock(10_000);
        const read = await stack.api(`/api/orders/${order.id}`, { token });
        expect(orderResponseSchema.parse(await read.json()).order.status).toBe('paid');
      } finally {
        rewrite = null;
      }
    });
  });
});
