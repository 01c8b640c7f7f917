import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderPaymentResponseSchema } from '@checkout/protocol/contract';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../test-support/test-stack';
import { startTestStack } from '../test-support/test-stack';

describe('onOrderPaid runs inside the payment transaction', () => {
  let stack: TestStack;
  let failNext = false;
  const seen: string[] = [];
  beforeAll(async () => {
    stack = await startTestStack(
      {},
      {
        async onOrderPaid(trx, order) {
          // Written through the transaction: visible only if the payment commits.
          await trx.insertInto('order_events').values({ id: `hook-${order.id}`, order_id: order.id, kind: 'hook', detail: order.status, at: new Date().toISOString() }).execute();
          if (failNext) {
            failNext = false;
            throw new Error('outbox unavailable');
          }
          seen.push(order.id);
        },
      },
    );
  });
  afterAll(() => stack.close());

  it('commits with the payment, and a failure rolls the payment back so WeChat Pay retries', async () => {
    const token = await stack.login();
    const { order } = orderPaymentResponseSchema.parse(await (await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } })).json());
    const body = buildSignedNotification({ out_trade_no: order.outTradeNo, total_fee: String(order.payableFen) }, { apiKey: devMerchant.apiKey, signType: 'MD5' });
    const post = () => fetch(`${stack.bff.url}/wxpay/notify`, { method: 'POST', body });
    const row = () => stack.bff.database.db.selectFrom('orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow();
    const hookEvents = () => stack.bff.database.db.selectFrom('order_events').select('detail').where('kind', '=', 'hook').where('order_id', '=', order.id).execute();

    failNext = true;
    const failed = await post();
    expect(failed.status).toBe(500);
    expect(await failed.text()).toContain('FAIL');
    expect((await row()).status).toBe('pending');
    expect(await hookEvents()).toEqual([]);

    const retried = await post();
    expect(retried.status).toBe(200);
    expect((await row()).status).toBe('paid');
    expect(await hookEvents()).toEqual([{ detail: 'paid' }]);
    expect(seen).toEqual([order.id]);
  });
});
