import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminRoutes, apiPath } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { eventually, expectOk, payAtCashierAndWait, startStack, type ContractClient, type Stack } from '@checkout/test-harness';

// Mini-program shipping management with the BFF and the emulator as real processes (outbox worker
// on): virtual goods go up by themselves, courier goods when the operator records them, and an
// upload whose answer was lost survives a kill -9 without being sent twice.
describe('shipping management (real processes)', () => {
  const adminToken = 'e2e-admin-token-0123456789abcdefghij';
  let stack: Stack;
  let client: ContractClient;

  const uploadsSchema = z.array(z.object({ out_trade_no: z.string(), order_state: z.number(), uploads: z.array(z.object({ logistics_type: z.number(), delivery_mode: z.number(), reship: z.boolean(), shipping_list: z.array(z.object({ tracking_no: z.string().optional() })) })) }));
  const shippingAt = async (outTradeNo: string) => {
    const rows = uploadsSchema.parse(await (await fetch(`${stack.emulatorUrl}/__emulator/shipping`)).json());
    return rows.find((row) => row.out_trade_no === outTradeNo);
  };
  const uploaded = (outTradeNo: string, count: number) =>
    eventually(async () => {
      const row = await shippingAt(outTradeNo);
      return row && row.uploads.length >= count ? row : undefined;
    }, { timeoutMs: 30_000, description: `${count} upload(s) of ${outTradeNo} at the emulator` });
  const tokensIssued = async () => z.object({ issued: z.number() }).parse(await (await fetch(`${stack.emulatorUrl}/__emulator/access-tokens`)).json()).issued;

  beforeAll(async () => {
    stack = await startStack({ name: 'e2e-shipping', bffEnv: { ADMIN_TOKEN: adminToken } });
    client = await stack.login();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('virtual goods are uploaded after payment; courier goods after the operator records the shipment; one access_token for all', async () => {
    const virtual = expectOk(await client.createOrder({ items: [{ productId: 'ecard-50', quantity: 1 }] }));
    await payAtCashierAndWait(stack, client, virtual);
    expect((await uploaded(virtual.order.outTradeNo, 1)).uploads).toEqual([expect.objectContaining({ logistics_type: 3, delivery_mode: 1, reship: false })]);

    const courier = expectOk(await client.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
    await payAtCashierAndWait(stack, client, courier);
    expect(expectOk(await client.getOrder(courier.order.id)).order.shipping).toMatchObject({ fulfillment: 'courier', status: 'not_shipped' });
    const recorded = await fetch(`${stack.bffUrl}${apiPath(adminRoutes.recordShipment, { outTradeNo: courier.order.outTradeNo })}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'idempotency-key': 'e2e-ship-1' },
      body: JSON.stringify({ parcels: [{ trackingNo: 'YT7700001', expressCompany: 'YTO', itemDesc: '电热水壶 1.7L' }], completesDelivery: true }),
    });
    expect(recorded.status).toBe(201);
    const row = await uploaded(courier.order.outTradeNo, 1);
    expect(row.uploads.map((u) => [u.logistics_type, u.delivery_mode, u.shipping_list.map((item) => item.tracking_no)])).toEqual([[1, 1, ['YT7700001']]]);
    expect(row.order_state).toBe(2);
    expect(expectOk(await client.getOrder(courier.order.id)).order.shipping).toMatchObject({ status: 'shipped', parcels: [{ trackingNo: 'YT7700001', expressCompanyName: '圆通速递' }] });
    expect(await tokensIssued()).toBe(1);
  });

  it('an upload whose answer was lost, then a kill -9 of the BFF: delivered once, no re-ship used', async () => {
    await stack.emulator.setFaults('uploadShippingInfo', { dropConnectionRate: 1, count: 1 });
    const created = expectOk(await client.createOrder({ items: [{ productId: 'install-voucher', quantity: 1 }] }));
    await payAtCashierAndWait(stack, client, created);
    // WeChat took the upload; the BFF saw a dropped connection and recorded a retry (a kill while
    // the job is still leased would only add the 60 s lease before the next attempt).
    await uploaded(created.order.outTradeNo, 1);
    const key = `${created.order.outTradeNo}:shipping:1`;
    await eventually(() => (stack.database().count("select count(*) from outbox_jobs where dedupe_key = ? and status = 'pending' and attempts = 1", key) === 1 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the retry recorded',
    });
    await stack.restartBff({ crash: true });
    await eventually(
      () => (stack.database().count("select count(*) from outbox_jobs where dedupe_key = ? and status = 'delivered'", key) === 1 ? true : undefined),
      { timeoutMs: 30_000, description: 'the upload job delivered after the restart' },
    );
    expect((await shippingAt(created.order.outTradeNo))?.uploads).toEqual([expect.objectContaining({ logistics_type: 4, reship: false })]);
    expect(stack.bffWarnings().map((line) => JSON.stringify(line)).join('\n')).not.toContain(devMerchant.appSecret);
  });
});
