import { Script } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import type { EmulatorOrder } from '../emulator-types';
import { DELIVERY_COMPANIES } from '../rules/shipping-rules';
import { newOutTradeNo, startEmulator, type TestEmulator } from '../testing/test-fixtures';

const other = { appId: 'wxother00000000999', mchId: '1900000999', apiKey: 'otherapikey00000000000000000999x', appSecret: 'othersecret0000000000000000000999' };
const PAYER = 'oPayer000000000000000000001';

let emu: TestEmulator;
let token: string;
beforeAll(async () => {
  emu = await startEmulator({ merchants: [devMerchant, other], frozenClock: true, startTime: new Date('2025-06-01T02:00:00Z'), refundMinIntervalMs: 0 });
});
afterAll(() => emu.close());
beforeEach(async () => {
  emu.control.reset();
  token = await stableToken(devMerchant.appId, devMerchant.appSecret);
});

type Answer = Record<string, unknown> & { errcode?: number; errmsg?: string };

async function stableToken(appid: string, secret: string): Promise<string> {
  const response = await fetch(`${emu.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid, secret }) });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** accessToken null: no access_token parameter at all. */
async function call(name: string, body: unknown, accessToken: string | null = token): Promise<Answer> {
  const query = accessToken === null ? '' : `?access_token=${encodeURIComponent(accessToken)}`;
  const response = await fetch(`${emu.url}/wxa/sec/order/${name}${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

const upload = (body: unknown, accessToken?: string | null): Promise<Answer> => call('upload_shipping_info', body, accessToken);
const getOrder = (body: unknown, accessToken?: string | null): Promise<Answer> => call('get_order', body, accessToken);

function paidOrder(input: { openid?: string; totalFee?: number; mchId?: string; body?: string } = {}): EmulatorOrder & { transactionId: string } {
  const outTradeNo = newOutTradeNo();
  emu.control.seedOrder({ outTradeNo, totalFee: input.totalFee ?? 1999, openid: input.openid ?? PAYER, ...(input.mchId === undefined ? {} : { mchId: input.mchId }), ...(input.body === undefined ? {} : { body: input.body }) });
  return emu.control.payOrder(outTradeNo) as EmulatorOrder & { transactionId: string };
}

let clockSeconds = 0;
/** A fresh RFC 3339 time, later than every earlier one in the test run. */
function later(): string {
  clockSeconds += 1;
  return new Date(Date.UTC(2025, 5, 1, 2, 0, clockSeconds)).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function expressBody(order: EmulatorOrder & { transactionId: string }, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_key: { order_number_type: 2, transaction_id: order.transactionId },
    logistics_type: 1,
    delivery_mode: 1,
    shipping_list: [{ tracking_no: 'YT1234567890123', express_company: 'YTO', item_desc: '测试商品*1' }],
    upload_time: later(),
    payer: { openid: order.openid },
    ...overrides,
  };
}

const item = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ tracking_no: 'ZT7788990011', express_company: 'ZTO', item_desc: '商品', ...overrides });

describe('POST /wxa/sec/order/upload_shipping_info', () => {
  it('accepts an express upload by transaction_id and by mchid + out_trade_no', async () => {
    const a = paidOrder();
    expect(await upload(expressBody(a))).toEqual({ errcode: 0, errmsg: 'ok' });
    const b = paidOrder();
    expect(await upload(expressBody(b, { order_key: { order_number_type: 1, mchid: b.mchId, out_trade_no: b.outTradeNo } }))).toEqual({ errcode: 0, errmsg: 'ok' });
    const rows = emu.control.shipping();
    expect(rows.find((r) => r.out_trade_no === a.outTradeNo)).toMatchObject({ transaction_id: a.transactionId, order_state: 2, uploads: [{ logistics_type: 1, delivery_mode: 1, reship: false }] });
  });

  it('accepts same-city, virtual and pickup without tracking numbers', async () => {
    for (const logisticsType of [2, 3, 4]) {
      const order = paidOrder();
      expect(await upload(expressBody(order, { logistics_type: logisticsType, shipping_list: [{ item_desc: '虚拟商品' }] }))).toEqual({ errcode: 0, errmsg: 'ok' });
    }
  });

  describe('refuses malformed uploads with 47001 data format error', () => {
    const cases: [string, (o: EmulatorOrder & { transactionId: string }) => Record<string, unknown> | string][] = [
      ['a body that is not JSON', () => 'order_key=1'],
      ['a JSON array body', () => '[]'],
      ['shipping_list as an object', (o) => expressBody(o, { shipping_list: item() })],
      ['an empty shipping_list', (o) => expressBody(o, { shipping_list: [] })],
      ['16 items', (o) => expressBody(o, { delivery_mode: 2, is_all_delivered: true, shipping_list: Array.from({ length: 16 }, () => item()) })],
      ['logistics_type 5', (o) => expressBody(o, { logistics_type: 5 })],
      ['logistics_type as a string', (o) => expressBody(o, { logistics_type: '1' })],
      ['delivery_mode as "UNIFIED_DELIVERY"', (o) => expressBody(o, { delivery_mode: 'UNIFIED_DELIVERY' })],
      ['delivery_mode 3', (o) => expressBody(o, { delivery_mode: 3 })],
      ['order_key missing', (o) => ({ ...expressBody(o), order_key: undefined })],
      ['order_number_type 3', (o) => expressBody(o, { order_key: { order_number_type: 3, transaction_id: o.transactionId } })],
      ['order_number_type 1 without out_trade_no', (o) => expressBody(o, { order_key: { order_number_type: 1, mchid: o.mchId } })],
      ['order_number_type 2 without transaction_id', (o) => expressBody(o, { order_key: { order_number_type: 2, mchid: o.mchId, out_trade_no: o.outTradeNo } })],
      ['transaction_id as a number', (o) => expressBody(o, { order_key: { order_number_type: 2, transaction_id: Number(o.transactionId) } })],
      ['payer missing', (o) => ({ ...expressBody(o), payer: undefined })],
      ['payer.openid empty', (o) => expressBody(o, { payer: { openid: '' } })],
      ['payer.openid longer than 128', (o) => expressBody(o, { payer: { openid: 'o'.repeat(129) } })],
      ['express without tracking_no', (o) => expressBody(o, { shipping_list: [item({ tracking_no: undefined })] })],
      ['express without express_company', (o) => expressBody(o, { shipping_list: [item({ express_company: '' })] })],
      ['item_desc missing', (o) => expressBody(o, { shipping_list: [item({ item_desc: undefined })] })],
      ['item_desc of 121 characters', (o) => expressBody(o, { shipping_list: [item({ item_desc: '货'.repeat(121) })] })],
      ['tracking_no of 129 characters', (o) => expressBody(o, { shipping_list: [item({ tracking_no: 'A'.repeat(129) })] })],
      ['tracking_no with a space', (o) => expressBody(o, { shipping_list: [item({ tracking_no: 'YT 123' })] })],
      ['tracking_no with non-ASCII', (o) => expressBody(o, { shipping_list: [item({ tracking_no: '单号123' })] })],
      ['tracking_no as a number', (o) => expressBody(o, { shipping_list: [item({ tracking_no: 12345 })] })],
      ['an unknown express_company', (o) => expressBody(o, { shipping_list: [item({ express_company: 'NOPE' })] })],
      ['a lower-case express_company', (o) => expressBody(o, { shipping_list: [item({ express_company: 'sf', contact: { receiver_contact: '189****1234' } })] })],
      ['SF without any contact', (o) => expressBody(o, { shipping_list: [item({ express_company: 'SF' })] })],
      ['SF with empty contacts', (o) => expressBody(o, { shipping_list: [item({ express_company: 'SF', contact: { consignor_contact: '', receiver_contact: '' } })] })],
      ['a contact longer than 1024', (o) => expressBody(o, { shipping_list: [item({ contact: { receiver_contact: '1'.repeat(1025) } })] })],
      ['contact as a string', (o) => expressBody(o, { shipping_list: [item({ contact: '189****1234' })] })],
      ['split delivery with same-city logistics', (o) => expressBody(o, { logistics_type: 2, delivery_mode: 2, is_all_delivered: true, shipping_list: [{ item_desc: 'a' }] })],
      ['split delivery without is_all_delivered', (o) => expressBody(o, { delivery_mode: 2, shipping_list: [item(), item()] })],
      ['is_all_delivered as a string', (o) => expressBody(o, { delivery_mode: 2, is_all_delivered: 'true', shipping_list: [item(), item()] })],
      ['unified delivery with two parcels', (o) => expressBody(o, { shipping_list: [item(), item()] })],
    ];
    it.each(cases)('%s', async (_name, build) => {
      const order = paidOrder();
      const answer = await upload(build(order));
      expect(answer).toMatchObject({ errcode: 47001, errmsg: expect.stringMatching(/^data format error/) as string });
      expect(emu.control.shipping().find((r) => r.transaction_id === order.transactionId)?.uploads).toEqual([]);
    });
  });

  it('accepts the edges: 120-character item_desc, 128-character tracking_no, SF with one masked contact, 15 split parcels', async () => {
    expect(await upload(expressBody(paidOrder(), { shipping_list: [item({ item_desc: '货'.repeat(120), tracking_no: 'A'.repeat(128) })] }))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(paidOrder(), { shipping_list: [item({ express_company: 'SF', contact: { receiver_contact: '189****1234' } })] }))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(paidOrder(), { delivery_mode: 2, is_all_delivered: true, shipping_list: Array.from({ length: 15 }, () => item()) }))).toMatchObject({ errcode: 0 });
  });

  it('answers 268485216 for an upload_time that is not RFC 3339 or not later than the previous upload', async () => {
    for (const bad of ['2025-06-01 10:00:00', '2025-06-01T10:00:00', '20250601100000', '2025-02-30T10:00:00+08:00', '2025-06-01T25:00:00+08:00', 1748743200, '']) {
      expect(await upload(expressBody(paidOrder(), { upload_time: bad }))).toMatchObject({ errcode: 268485216 });
    }
    expect(await upload(expressBody(paidOrder(), { upload_time: '2022-12-15T13:29:35.120+08:00' }))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(paidOrder(), { upload_time: '2022-12-15T05:29:35Z' }))).toMatchObject({ errcode: 0 });
    const order = paidOrder();
    const time = later();
    expect(await upload(expressBody(order, { upload_time: time }))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(order, { upload_time: time }))).toMatchObject({ errcode: 268485216 });
    // the same instant in another offset is not later either
    const sameInstant = new Date(Date.parse(time) + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
    expect(await upload(expressBody(order, { upload_time: sameInstant }))).toMatchObject({ errcode: 268485216 });
    expect(await upload(expressBody(order, { upload_time: later() }))).toMatchObject({ errcode: 0 });
  });

  it('answers 10060001 for an unknown, unpaid or foreign order', async () => {
    expect(await upload(expressBody({ ...paidOrder(), transactionId: '4200000000000000000000000009' }))).toMatchObject({ errcode: 10060001, errmsg: expect.stringMatching(/^支付单不存在/) as string });
    const outTradeNo = newOutTradeNo();
    const unpaid = emu.control.seedOrder({ outTradeNo, totalFee: 100, openid: PAYER });
    expect(await upload(expressBody({ ...unpaid, transactionId: '' }, { order_key: { order_number_type: 1, mchid: unpaid.mchId, out_trade_no: outTradeNo } }))).toMatchObject({ errcode: 10060001 });
    const paid = paidOrder();
    expect(await upload(expressBody(paid, { order_key: { order_number_type: 1, mchid: '1900000999', out_trade_no: paid.outTradeNo } }))).toMatchObject({ errcode: 10060001 });
    // an order of another mini-program is not found with this app's token
    const foreign = paidOrder({ mchId: other.mchId });
    expect(await upload(expressBody(foreign))).toMatchObject({ errcode: 10060001 });
    const otherToken = await stableToken(other.appId, other.appSecret);
    expect(await upload(expressBody(foreign), otherToken)).toMatchObject({ errcode: 0 });
  });

  it('answers 10060001 right after payment while the order is not stored yet (orderIndexDelayMs), then ships', async () => {
    const set = await fetch(`${emu.url}/__emulator/shipping-options`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderIndexDelayMs: 10_000 }) });
    expect(await set.json()).toEqual({ orderIndexDelayMs: 10_000 });
    const order = paidOrder();
    expect(await upload(expressBody(order))).toMatchObject({ errcode: 10060001 });
    expect(await getOrder({ transaction_id: order.transactionId })).toMatchObject({ errcode: 10060001 });
    emu.control.advanceClock(10_000);
    expect(await upload(expressBody(order))).toMatchObject({ errcode: 0 });
    emu.control.reset();
    token = await stableToken(devMerchant.appId, devMerchant.appSecret);
    expect(await upload(expressBody(paidOrder()))).toMatchObject({ errcode: 0 });
  });

  it('answers 10060031 when payer.openid is not the order payer', async () => {
    const order = paidOrder();
    expect(await upload(expressBody(order, { payer: { openid: 'oSomeoneElse0000000000000001' } }))).toMatchObject({ errcode: 10060031 });
  });

  it('gives one re-ship chance, then 10060003; changing the mode or logistics is the re-ship', async () => {
    const order = paidOrder();
    expect(await upload(expressBody(order))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(order, { shipping_list: [item({ tracking_no: 'NEW0001' })] }))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(order))).toMatchObject({ errcode: 10060003, errmsg: expect.stringMatching(/^支付单已使用重新发货机会/) as string });
    const got = await getOrder({ transaction_id: order.transactionId });
    expect(got.order).toMatchObject({ order_state: 2, shipping: { finish_shipping: true, finish_shipping_count: 2, shipping_list: [{ tracking_no: 'NEW0001' }] } });

    const changed = paidOrder();
    expect(await upload(expressBody(changed))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(changed, { logistics_type: 4, shipping_list: [{ item_desc: '自提' }] }))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(changed, { logistics_type: 4, shipping_list: [{ item_desc: '自提' }] }))).toMatchObject({ errcode: 10060003 });
  });

  it('split delivery adds parcels until is_all_delivered without using the re-ship chance', async () => {
    const order = paidOrder();
    expect(await upload(expressBody(order, { delivery_mode: 2, is_all_delivered: false, shipping_list: [item({ tracking_no: 'P1' })] }))).toMatchObject({ errcode: 0 });
    let got = await getOrder({ transaction_id: order.transactionId });
    expect(got.order).toMatchObject({ order_state: 1, shipping: { finish_shipping: false, finish_shipping_count: 0, delivery_mode: 2 } });
    expect(await upload(expressBody(order, { delivery_mode: 2, is_all_delivered: true, shipping_list: [item({ tracking_no: 'P2' })] }))).toMatchObject({ errcode: 0 });
    got = await getOrder({ transaction_id: order.transactionId });
    expect(got.order).toMatchObject({ order_state: 2, shipping: { finish_shipping: true, finish_shipping_count: 1 } });
    expect((got.order as { shipping: { shipping_list: { tracking_no: string }[] } }).shipping.shipping_list.map((p) => p.tracking_no)).toEqual(['P1', 'P2']);
    // the re-ship is still available once
    expect(await upload(expressBody(order))).toMatchObject({ errcode: 0 });
    const many = paidOrder();
    expect(await upload(expressBody(many, { delivery_mode: 2, is_all_delivered: false, shipping_list: Array.from({ length: 10 }, () => item()) }))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(many, { delivery_mode: 2, is_all_delivered: true, shipping_list: Array.from({ length: 6 }, () => item()) }))).toMatchObject({ errcode: 47001 });
    expect(await upload(expressBody(many, { delivery_mode: 2, is_all_delivered: true, shipping_list: Array.from({ length: 5 }, () => item()) }))).toMatchObject({ errcode: 0 });
    expect(await upload(expressBody(order))).toMatchObject({ errcode: 10060003 });
  });

  it('answers 10060004 after the buyer confirmed receipt or the order was refunded in full; a partial refund still ships', async () => {
    const confirmed = paidOrder();
    expect(await upload(expressBody(confirmed))).toMatchObject({ errcode: 0 });
    await emu.control.confirmReceipt(confirmed.transactionId);
    expect(await upload(expressBody(confirmed))).toMatchObject({ errcode: 10060004, errmsg: expect.stringMatching(/^支付单处于不可发货的状态/) as string });

    emu.control.holdRefunds(true);
    const refunded = paidOrder({ totalFee: 1000 });
    emu.control.settleRefund(emu.control.portalRefund({ outTradeNo: refunded.outTradeNo, refundFee: 1000 }).outRefundNo);
    expect(await upload(expressBody(refunded))).toMatchObject({ errcode: 10060004 });

    const partial = paidOrder({ totalFee: 1000 });
    emu.control.settleRefund(emu.control.portalRefund({ outTradeNo: partial.outTradeNo, refundFee: 300 }).outRefundNo);
    expect(await upload(expressBody(partial))).toMatchObject({ errcode: 0 });
  });

  it('answers 45002 for a body over the limit (64 KiB)', async () => {
    const order = paidOrder();
    expect(await upload(expressBody(order, { shipping_list: [item({ item_desc: 'x'.repeat(70 * 1024) })] }))).toMatchObject({ errcode: 45002 });
  });

  it('checks the access token first: 41001, 40001, 42001', async () => {
    const order = paidOrder();
    expect(await upload(expressBody(order), null)).toMatchObject({ errcode: 41001 });
    expect(await upload('not json', 'bogus')).toMatchObject({ errcode: 40001 });
    emu.control.advanceClock(7200 * 1000);
    expect(await upload(expressBody(order))).toMatchObject({ errcode: 42001 });
  });
});

describe('POST /wxa/sec/order/get_order', () => {
  it('follows the order through ship → confirm receipt → refunded', async () => {
    const order = paidOrder({ totalFee: 1999, body: '测试商品' });
    const before = await getOrder({ merchant_id: order.mchId, merchant_trade_no: order.outTradeNo });
    expect(before).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(before.order).toEqual({
      transaction_id: order.transactionId,
      merchant_id: devMerchant.mchId,
      sub_merchant_id: '',
      merchant_trade_no: order.outTradeNo,
      description: '测试商品',
      paid_amount: 1999,
      openid: PAYER,
      trade_create_time: Math.floor(Date.parse(order.createdAt) / 1000),
      pay_time: Math.floor(emu.control.now().getTime() / 1000),
      order_state: 1,
      in_complaint: false,
      shipping: { finish_shipping: false, finish_shipping_count: 0, goods_desc: '', shipping_list: [] },
    });
    const uploadTime = '2025-06-01T10:30:00+08:00';
    expect(await upload(expressBody(order, { upload_time: uploadTime, shipping_list: [item({ express_company: 'SF', tracking_no: 'SF1234567890', item_desc: '测试商品*1', contact: { receiver_contact: '189****1234' } })] }))).toMatchObject({ errcode: 0 });
    const shipped = await getOrder({ transaction_id: order.transactionId });
    expect(shipped.order).toMatchObject({
      order_state: 2,
      shipping: {
        delivery_mode: 1,
        logistics_type: 1,
        finish_shipping: true,
        finish_shipping_count: 1,
        goods_desc: '测试商品*1',
        shipping_list: [{ tracking_no: 'SF1234567890', express_company: 'SF', goods_desc: '测试商品*1', upload_time: Date.parse(uploadTime) / 1000, contact: { consignor_contact: '', receiver_contact: '189****1234' } }],
      },
    });
    const confirm = await fetch(`${emu.url}/__emulator/shipping/${order.transactionId}/confirm-receipt`, { method: 'POST' });
    expect(confirm.status).toBe(200);
    expect(await confirm.json()).toMatchObject({ transaction_id: order.transactionId, order_state: 3 });
    expect((await getOrder({ transaction_id: order.transactionId })).order).toMatchObject({ order_state: 3 });
    emu.control.holdRefunds(true);
    emu.control.settleRefund(emu.control.portalRefund({ outTradeNo: order.outTradeNo, refundFee: 1999 }).outRefundNo);
    expect((await getOrder({ transaction_id: order.transactionId })).order).toMatchObject({ order_state: 5 });
  });

  it('cuts a long description to 120 characters with …', async () => {
    const order = paidOrder({ body: '长'.repeat(127) });
    const description = ((await getOrder({ transaction_id: order.transactionId })).order as { description: string }).description;
    expect([...description]).toHaveLength(120);
    expect(description.endsWith('…')).toBe(true);
  });

  it('answers 10060001 for an unknown or unpaid order, 47001 without a key, token errcodes first', async () => {
    expect(await getOrder({ transaction_id: '4200000000000000000000000009' })).toMatchObject({ errcode: 10060001 });
    const outTradeNo = newOutTradeNo();
    emu.control.seedOrder({ outTradeNo, totalFee: 1 });
    expect(await getOrder({ merchant_id: devMerchant.mchId, merchant_trade_no: outTradeNo })).toMatchObject({ errcode: 10060001 });
    expect(await getOrder({})).toMatchObject({ errcode: 47001 });
    expect(await getOrder({ merchant_id: devMerchant.mchId })).toMatchObject({ errcode: 47001 });
    expect(await getOrder({ transaction_id: 42 })).toMatchObject({ errcode: 47001 });
    expect(await getOrder({}, null)).toMatchObject({ errcode: 41001 });
    expect(await getOrder({}, 'x')).toMatchObject({ errcode: 40001 });
  });
});

describe('control API and faults', () => {
  it('confirm-receipt refuses an order that has not shipped (409) and an unknown one (404)', async () => {
    const order = paidOrder();
    const early = await fetch(`${emu.url}/__emulator/shipping/${order.transactionId}/confirm-receipt`, { method: 'POST' });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ code: 'NOT_SHIPPED' });
    expect((await fetch(`${emu.url}/__emulator/shipping/nope/confirm-receipt`, { method: 'POST' })).status).toBe(404);
  });

  it('GET /__emulator/shipping lists paid orders with their uploads', async () => {
    const order = paidOrder();
    const time = later();
    await upload(expressBody(order, { upload_time: time }));
    const rows = (await (await fetch(`${emu.url}/__emulator/shipping`)).json()) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({
        transaction_id: order.transactionId,
        out_trade_no: order.outTradeNo,
        order_state: 2,
        uploads: [expect.objectContaining({ logistics_type: 1, delivery_mode: 1, upload_time: time, shipping_list: [{ tracking_no: 'YT1234567890123', express_company: 'YTO', item_desc: '测试商品*1' }] })],
      }),
    ]);
  });

  it('uploadShippingInfo and getOrder take faults: system error, HTTP status, dropped connection', async () => {
    const order = paidOrder();
    emu.control.setFaults('uploadShippingInfo', { systemErrorRate: 1, count: 1 });
    expect(await upload(expressBody(order))).toEqual({ errcode: -1, errmsg: 'system error' });
    expect(emu.control.shipping()[0]?.uploads).toEqual([]);
    emu.control.setFaults('getOrder', { httpStatus: 502, count: 1 });
    const response = await fetch(`${emu.url}/wxa/sec/order/get_order?access_token=${token}`, { method: 'POST', body: JSON.stringify({ transaction_id: order.transactionId }) });
    expect(response.status).toBe(502);
    emu.control.setFaults('uploadShippingInfo', { dropConnectionRate: 1, count: 1 });
    await expect(fetch(`${emu.url}/wxa/sec/order/upload_shipping_info?access_token=${token}`, { method: 'POST', body: JSON.stringify(expressBody(order)) })).rejects.toThrow();
    // processed although the answer was lost: a retry is the re-ship
    expect(emu.control.shipping()[0]?.uploads).toHaveLength(1);
    const put = await fetch(`${emu.url}/__emulator/faults/getOrder`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ systemErrorRate: 1, count: 1 }) });
    expect(put.status).toBe(200);
    expect(await getOrder({ transaction_id: order.transactionId })).toEqual({ errcode: -1, errmsg: 'system error' });
  });

  it('the dashboard has shipping, token and push rows; /state never carries a token value', async () => {
    const order = paidOrder();
    await upload(expressBody(order));
    const html = await (await fetch(`${emu.url}/__emulator/`)).text();
    for (const text of ['Shipping (发货信息管理)', 'confirm receipt', '/confirm-receipt', 'Access tokens', '/access-tokens/expire', '/access-tokens/invalidate', 'Message pushes']) expect(html).toContain(text);
    // the page script parses
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(() => new Script(script)).not.toThrow();
    const state = await (await fetch(`${emu.url}/__emulator/state`)).text();
    expect(state).not.toContain(token);
    const parsed = JSON.parse(state) as { shipping: { transaction_id: string; order_state: number }[]; accessTokens: { issued: number; tokens: { state: string }[] } };
    expect(parsed.shipping).toEqual([expect.objectContaining({ transaction_id: order.transactionId, order_state: 2 })]);
    expect(parsed.accessTokens).toMatchObject({ issued: 1, tokens: [{ state: 'valid' }] });
  });

  it('latencyMs and answerDelayMs hold the answer of the new endpoints', async () => {
    emu.control.setFaults('getOrder', { latencyMs: 60, count: 1 });
    const started = Date.now();
    expect(await getOrder({ transaction_id: paidOrder().transactionId })).toMatchObject({ errcode: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    emu.control.setFaults('uploadShippingInfo', { answerDelayMs: 60, count: 1 });
    const order = paidOrder();
    const pending = upload(expressBody(order));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // processed before the answer is held
    expect(emu.control.shipping().find((r) => r.transaction_id === order.transactionId)?.uploads).toHaveLength(1);
    expect(await pending).toMatchObject({ errcode: 0 });
  });

  it('is_trade_managed and is_trade_management_confirmation_completed answer true for the token app', async () => {
    expect(await call('is_trade_managed', { appid: devMerchant.appId })).toEqual({ errcode: 0, errmsg: 'ok', is_trade_managed: true });
    expect(await call('is_trade_management_confirmation_completed', { appid: devMerchant.appId })).toEqual({ errcode: 0, errmsg: 'ok', completed: true });
    expect(await call('is_trade_managed', { appid: other.appId })).toMatchObject({ errcode: 40013 });
    expect(await call('is_trade_managed', {})).toMatchObject({ errcode: 47001 });
    expect(await call('is_trade_managed', { appid: devMerchant.appId }, null)).toMatchObject({ errcode: 41001 });
  });

  it('get_delivery_list returns the accepted courier codes', async () => {
    const response = await fetch(`${emu.url}/cgi-bin/express/delivery/open_msg/get_delivery_list?access_token=${token}`, { method: 'POST', body: '{}' });
    const answer = (await response.json()) as { errcode: number; delivery_list: { delivery_id: string }[]; count: number };
    expect(answer.errcode).toBe(0);
    expect(answer.count).toBe(DELIVERY_COMPANIES.length);
    expect(answer.delivery_list.map((d) => d.delivery_id)).toEqual(expect.arrayContaining(['SF', 'YTO', 'ZTO', 'STO', 'YD', 'JTSD', 'JD', 'EMS', 'DBL']));
  });
});
