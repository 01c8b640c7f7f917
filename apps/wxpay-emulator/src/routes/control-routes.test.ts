import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import { buildNotifyAck } from '@checkout/protocol/wxpay';
import { startEmulator, startReceiver, type NotifyReceiver, type TestEmulator } from '../testing/test-fixtures';

let emu: TestEmulator;
let receiver: NotifyReceiver;
beforeAll(async () => {
  emu = await startEmulator({ notifyTimeScale: 0.001, startTime: new Date('2026-01-01T00:00:00Z'), frozenClock: true });
  receiver = await startReceiver(() => ({ body: buildNotifyAck() }));
});
afterAll(async () => {
  await emu.close();
  await receiver.close();
});
beforeEach(() => emu.control.reset());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> & unknown[] }> {
  const response = await fetch(`${emu.url}/__emulator${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & unknown[] };
}

describe('/__emulator control API', () => {
  it('reads and advances the clock', async () => {
    expect((await call('GET', '/clock')).json.now).toBe('2026-01-01T00:00:00.000Z');
    expect((await call('POST', '/clock/advance', { ms: 90_000 })).json.now).toBe('2026-01-01T00:01:30.000Z');
    expect((await call('POST', '/clock/advance', { ms: -1 })).status).toBe(400);
  });

  it('issues login codes that jscode2session accepts', async () => {
    const { json } = await call('POST', '/login-codes', { openid: 'oCtl000000000000000000000001' });
    const query = new URLSearchParams({ appid: devMerchant.appId, secret: devMerchant.appSecret, js_code: String(json.code), grant_type: 'authorization_code' });
    const session = (await (await fetch(`${emu.url}/sns/jscode2session?${query.toString()}`)).json()) as { openid: string };
    expect(session.openid).toBe('oCtl000000000000000000000001');
  });

  it('seeds, lists, pays, fails and closes orders; 404 and 409 on bad requests', async () => {
    expect((await call('POST', '/orders', { outTradeNo: 'C1', totalFee: 100, notifyUrl: receiver.url })).status).toBe(201);
    await call('POST', '/orders', { outTradeNo: 'C2', totalFee: 100 });
    await call('POST', '/orders', { outTradeNo: 'C3', totalFee: 100 });
    expect((await call('POST', '/orders', { outTradeNo: 'bad no!', totalFee: 1 })).status).toBe(400);
    expect((await call('GET', '/orders')).json).toHaveLength(3);
    expect((await call('POST', '/orders/C1/pay')).json).toMatchObject({ tradeState: 'SUCCESS' });
    expect((await call('POST', '/orders/C1/pay')).status).toBe(409);
    expect((await call('POST', '/orders/C2/fail')).json).toMatchObject({ tradeState: 'PAYERROR' });
    expect((await call('POST', '/orders/C3/close')).json).toMatchObject({ tradeState: 'CLOSED' });
    expect((await call('GET', '/orders/C3')).json).toMatchObject({ outTradeNo: 'C3', tradeState: 'CLOSED' });
    expect((await call('GET', '/orders/nope')).status).toBe(404);
    expect((await call('POST', '/orders/nope/pay')).status).toBe(404);
    await emu.control.waitForDeliveries((d) => d.outTradeNo === 'C1', 5000);
    expect((await call('GET', '/deliveries')).json).toEqual([expect.objectContaining({ outTradeNo: 'C1', acked: true })]);
  });

  it('sets and clears faults and notify options', async () => {
    expect((await call('PUT', '/faults/orderquery', { httpStatus: 503, count: 2 })).json).toEqual({ orderquery: { httpStatus: 503, count: 2 } });
    expect((await call('PUT', '/faults/nothing', {})).status).toBe(404);
    expect((await call('PUT', '/faults/report', { latencyMs: 'slow' })).status).toBe(400);
    expect((await call('DELETE', '/faults/orderquery')).json).toEqual({});
    await call('PUT', '/faults/report', { systemErrorRate: 0.5 });
    expect((await call('DELETE', '/faults')).json).toEqual({});
    expect((await call('PUT', '/notify-options', { duplicates: 2, omitSignType: true })).json).toMatchObject({ duplicates: 2, omitSignType: true });
    expect((await call('PUT', '/notify-options', { duplicates: 0 })).status).toBe(400);
    await call('PUT', '/notify-options', { duplicates: 1, omitSignType: false });
  });

  it('lists reports and gov syncs, and the state view masks gov-sync personal data', async () => {
    expect((await call('GET', '/reports')).json).toEqual([]);
    expect((await call('GET', '/gov-syncs')).json).toEqual([]);
    const state = (await call('GET', '/state')).json;
    expect(Object.keys(state).sort()).toEqual(['accessTokens', 'billFaults', 'deliveries', 'faults', 'govSyncs', 'messagePush', 'messagePushes', 'notifyOptions', 'now', 'orders', 'refunds', 'refundsHeld', 'reports', 'shipping']);
  });

  it('makes portal refunds, holds them and sets their outcome as JSON; 404 and 409 on bad requests', async () => {
    await call('POST', '/orders', { outTradeNo: 'RF000001', totalFee: 900 });
    await call('POST', '/orders/RF000001/pay');
    expect((await call('PUT', '/refunds/hold', { hold: true })).json).toEqual({ hold: true });
    expect((await call('GET', '/state')).json.refundsHeld).toBe(true);
    const created = await call('POST', '/refunds', { outTradeNo: 'RF000001', refundFee: 300, notifyUrl: receiver.url });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ refundStatus: 'PROCESSING', refundRequestSource: 'VENDOR_PLATFORM', refundFee: 300 });
    const no = String(created.json.outRefundNo);
    const second = String((await call('POST', '/refunds', { outTradeNo: 'RF000001', refundFee: 300 })).json.outRefundNo);
    const third = String((await call('POST', '/refunds', { outTradeNo: 'RF000001', refundFee: 300 })).json.outRefundNo);
    expect((await call('GET', '/refunds?outTradeNo=RF000001')).json).toHaveLength(3);
    expect((await call('GET', `/refunds/${no}`)).json.refundStatus).toBe('PROCESSING');
    expect((await call('POST', `/refunds/${no}/settle`)).json.refundStatus).toBe('SUCCESS');
    expect((await call('POST', `/refunds/${second}/close`)).json.refundStatus).toBe('REFUNDCLOSE');
    expect((await call('POST', `/refunds/${third}/change`)).json.refundStatus).toBe('CHANGE');
    expect((await call('POST', `/refunds/${no}/close`)).json).toMatchObject({ code: 'REFUND_FINAL' });
    expect((await call('POST', `/refunds/${no}/close`)).status).toBe(409);
    expect((await call('GET', '/refunds/NOSUCH')).status).toBe(404);
    expect((await call('POST', '/refunds/NOSUCH/settle')).status).toBe(404);
    expect((await call('POST', '/refunds', { outTradeNo: 'RF000001', refundFee: 301 })).status).toBe(409);
    expect((await call('POST', '/refunds', { outTradeNo: 'NOSUCH', refundFee: 1 })).status).toBe(404);
    expect((await call('POST', '/refunds', { outTradeNo: 'RF000001', refundFee: 0 })).status).toBe(400);
    await emu.control.waitForDeliveries((d) => d.outRefundNo === no, 5000);
    await call('POST', '/reset');
    expect((await call('GET', '/refunds')).json).toEqual([]);
  });

  it('serves the HTML dashboard', async () => {
    const page = await fetch(`${emu.url}/__emulator/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('/__emulator/state');
    expect(html).toContain('Gov subsidy syncs');
    expect(html).toContain('portal refund');
    expect(html).toContain('/refunds/hold');
    // An empty payitil/report table says why (the BFF's default reports failures only).
    expect(html).toContain('WXPAY_REPORT_LEVEL=2');
    expect(html).toContain('Beijing time');
    // The page's own script turns ISO UTC instants into Beijing time (run here as the browser would).
    const script = /const isoInstant = [^\n]+\nfunction beijing[\s\S]+?\n}\nfunction show[\s\S]+?\n}/.exec(html)?.[0];
    expect(script).toBeDefined();
    const show = (value: unknown) => runInNewContext(`${script ?? ''}; show(value);`, { value }) as string;
    expect(show('2026-12-03T16:30:05.123Z')).toBe('2026-12-04 00:30:05');
    expect(show('NOTPAY')).toBe('NOTPAY');
    // The merchant fields of each order's unifiedorder and its coupons are columns.
    for (const column of ['device_info', 'limit_pay', 'receipt', 'profit_sharing', 'scene_info', 'detail', 'goods_tag', 'coupons']) expect(html).toContain(`'${column}'`);
  });

  it('pays an order with coupons (POST /orders/:no/pay {coupons}); the state view shows them; bad coupons are 400/409', async () => {
    await call('POST', '/orders', { outTradeNo: 'CPN1', totalFee: 1000 });
    expect((await call('POST', '/orders/CPN1/pay', { coupons: [{ id: 'X', type: 'GIFT', fee: 1 }] })).status).toBe(400);
    expect((await call('POST', '/orders/CPN1/pay', { coupons: [{ id: '10000', type: 'CASH', fee: 1000 }] })).status).toBe(409);
    const paid = await call('POST', '/orders/CPN1/pay', { coupons: [{ id: '10000', type: 'CASH', fee: 300 }] });
    expect(paid.status).toBe(200);
    expect(paid.json.coupons).toEqual([{ id: '10000', type: 'CASH', fee: 300 }]);
    const state = (await call('GET', '/state')).json as unknown as { orders: { outTradeNo: string; coupons?: unknown }[] };
    expect(state.orders.find((o) => o.outTradeNo === 'CPN1')?.coupons).toEqual([{ id: '10000', type: 'CASH', fee: 300 }]);
  });

  it('answers unknown paths with a JSON 404 and v3-shaped 404 under /v3', async () => {
    const other = await fetch(`${emu.url}/nope`);
    expect(other.status).toBe(404);
    const v3 = await fetch(`${emu.url}/v3/unknown`);
    expect(v3.status).toBe(404);
    expect(await v3.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reset clears orders', async () => {
    await call('POST', '/orders', { outTradeNo: 'R1', totalFee: 1 });
    await call('POST', '/reset');
    expect((await call('GET', '/orders')).json).toEqual([]);
  });
  it('bill faults: pay without notify, alter a bill amount, corrupt a day\'s summary; reset clears them', async () => {
    await call('POST', '/orders', { outTradeNo: 'BILLF1', totalFee: 900, notifyUrl: receiver.url });
    const paid = await call('POST', '/orders/BILLF1/pay-without-notify');
    expect(paid.status).toBe(200);
    expect(paid.json.tradeState).toBe('SUCCESS');
    expect((await call('POST', '/orders/BILLF1/pay-without-notify')).status).toBe(409);
    expect((await call('PUT', '/orders/BILLF1/bill-amount', { totalFee: 800 })).json).toEqual({ amounts: { BILLF1: 800 }, corruptSummaries: [] });
    expect((await call('PUT', '/orders/NOPE/bill-amount', { totalFee: 800 })).status).toBe(404);
    expect((await call('PUT', '/orders/BILLF1/bill-amount', { totalFee: 1.5 })).status).toBe(400);
    expect((await call('PUT', '/bills/20260101/corrupt-summary')).json).toEqual({ amounts: { BILLF1: 800 }, corruptSummaries: ['20260101'] });
    expect((await call('PUT', '/bills/20260231/corrupt-summary')).status).toBe(400);
    expect((await call('GET', '/state')).json.billFaults).toEqual({ amounts: { BILLF1: 800 }, corruptSummaries: ['20260101'] });
    expect(emu.control.deliveries().filter((d) => d.outTradeNo === 'BILLF1')).toEqual([]);
    await call('POST', '/reset');
    expect((await call('GET', '/state')).json.billFaults).toEqual({ amounts: {}, corruptSummaries: [] });
  });
});
