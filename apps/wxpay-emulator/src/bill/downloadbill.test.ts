import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  billDateOf,
  billReadyAt,
  buildDownloadBillRequest,
  buildRefundRequest,
  collectTradeBill,
  parseXml,
  readTradeBill,
  WxPayBillError,
  WxPayDownloadBillError,
  type DownloadBillInput,
  type TradeBillRow,
  type TradeBillType,
  type V2Merchant,
} from '@checkout/protocol/wxpay';
import { devMerchantPem, hmacMerchant, md5Merchant, newOutTradeNo, post, postTls, signedV2Xml, startEmulator, startReceiver, type TestEmulator } from '../testing/test-fixtures';

let emu: TestEmulator;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  // 12:00 Beijing; the clock moves only by advanceClock, so every bill date is known.
  emu = await startEmulator({ startTime: new Date('2025-03-10T04:00:00Z'), frozenClock: true, refundMinIntervalMs: 0, notifyTimeScale: 0.001 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.reset();
  emu.control.holdRefunds(true);
});

const url = (): string => `${emu.url}/pay/downloadbill`;
let nonce = 0;

async function download(input: DownloadBillInput, merchant: V2Merchant = md5Merchant): Promise<Response> {
  return fetch(url(), { method: 'POST', body: buildDownloadBillRequest(input, merchant, `bill${++nonce}`).xml, headers: { 'content-type': 'text/xml' } });
}

async function bill(billDate: string, billType: TradeBillType, merchant: V2Merchant = md5Merchant): Promise<Awaited<ReturnType<typeof collectTradeBill>>> {
  const res = await download({ billDate, billType }, merchant);
  return collectTradeBill([new Uint8Array(await res.arrayBuffer())], { billType });
}

async function billError(fields: Record<string, string>, merchant: V2Merchant = md5Merchant): Promise<Record<string, string>> {
  const answer = await post(url(), signedV2Xml({ nonce_str: `raw${++nonce}`, ...fields }, merchant));
  expect(answer.headers.get('content-type')).toContain('text/xml');
  return parseXml(answer.text);
}

const today = (): string => billDateOf(emu.control.now());
/** Moves the emulator clock to the moment day `billDate`'s bill becomes ready (10:00 Beijing next day). */
function advanceToReady(billDate: string, offsetMs = 0): void {
  emu.control.advanceClock(billReadyAt(billDate).getTime() - emu.control.now().getTime() + offsetMs);
}

function paid(totalFee: number, notifyUrl?: string): string {
  const { outTradeNo } = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee, ...(notifyUrl === undefined ? {} : { notifyUrl }) });
  emu.control.payOrder(outTradeNo);
  return outTradeNo;
}

async function apiRefund(outTradeNo: string, totalFee: number, refundFee: number, outRefundNo: string): Promise<void> {
  const xml = buildRefundRequest({ outTradeNo, outRefundNo, totalFee, refundFee }, md5Merchant, `r${++nonce}`).xml;
  const answer = await postTls(`${emu.secureUrl}/secapi/pay/refund`, xml, devMerchantPem);
  expect(answer.fields.result_code).toBe('SUCCESS');
}

const byOutTradeNo = (rows: readonly TradeBillRow[], outTradeNo: string, refund: boolean): TradeBillRow[] =>
  rows.filter((r) => r.outTradeNo === outTradeNo && (r.refund !== undefined) === refund);

describe('downloadbill: bills from the ledger, read by the protocol parser', () => {
  it('ALL, SUCCESS and REFUND bills of a day with payments, an API refund and a portal refund', async () => {
    const day = today();
    const a = paid(1999);
    const b = paid(500);
    const c = paid(1);
    await apiRefund(b, 500, 200, 'RF-API-1');
    emu.control.settleRefund('RF-API-1');
    const portal = emu.control.portalRefund({ outTradeNo: a, refundFee: 999 });
    advanceToReady(day);

    const all = await bill(day, 'ALL');
    expect(all.billType).toBe('ALL');
    expect(all.rows).toHaveLength(5);
    const [payA] = byOutTradeNo(all.rows, a, false);
    const ledgerA = emu.control.order(a);
    expect(payA).toMatchObject({
      tradeState: 'SUCCESS',
      appId: md5Merchant.appId,
      mchId: md5Merchant.mchId,
      subMchId: '0',
      transactionId: ledgerA?.transactionId,
      openid: ledgerA?.openid,
      tradeType: 'JSAPI',
      feeType: 'CNY',
      totalFee: 1999,
      settlementTotalFee: 1999,
      couponFee: 0,
      // 0.6 % of 19.99 yuan is 11.994 fen, rounded to 12.
      serviceFee: 12,
      rate: '0.60%',
      body: 'seeded order',
    });
    expect(payA?.refund).toBeUndefined();
    expect(payA?.tradeTime.toISOString()).toBe(new Date(Date.parse('2025-03-10T04:00:00Z')).toISOString());
    const [refundB] = byOutTradeNo(all.rows, b, true);
    expect(refundB).toMatchObject({ tradeState: 'REFUND', totalFee: 0, settlementTotalFee: 0, serviceFee: -1 });
    expect(refundB?.refund).toMatchObject({ outRefundNo: 'RF-API-1', refundFee: 200, applyRefundFee: 200, channel: 'ORIGINAL', status: 'SUCCESS' });
    const [refundA] = byOutTradeNo(all.rows, a, true);
    expect(refundA?.refund).toMatchObject({ refundId: portal.refundId, outRefundNo: portal.refundId, refundFee: 999, status: 'PROCESSING' });
    expect(all.summary).toEqual({ count: 5, settlementTotalFee: 2500, totalFee: 2500, refundFee: 1199, applyRefundFee: 1199, rechargeCouponRefundFee: 0, serviceFee: 12 + 3 + 0 - 1 - 6 });

    const success = await bill(day, 'SUCCESS', hmacMerchant);
    expect(success.rows.map((r) => r.outTradeNo).sort()).toEqual([a, b, c].sort());
    expect(success.rows.every((r) => r.refund === undefined && r.tradeState === 'SUCCESS')).toBe(true);
    expect(success.summary).toEqual({ count: 3, settlementTotalFee: 2500, totalFee: 2500, serviceFee: 15 });

    const refunds = await bill(day, 'REFUND');
    expect(refunds.rows).toHaveLength(2);
    const settled = refunds.rows.find((r) => r.refund?.outRefundNo === 'RF-API-1');
    expect(settled?.refund?.appliedAt).toBeInstanceOf(Date);
    expect(settled?.refund?.succeededAt).toBeInstanceOf(Date);
    const pending = refunds.rows.find((r) => r.refund?.refundId === portal.refundId);
    expect(pending?.refund?.succeededAt).toBeUndefined();
    expect(refunds.summary).toMatchObject({ count: 2, refundFee: 1199, totalFee: 0 });

    // A bill is built once: a refund settled after that keeps the status it had then.
    emu.control.advanceClock(1000);
    emu.control.settleRefund(portal.outRefundNo);
    const again = await bill(day, 'REFUND');
    expect(again.rows.find((r) => r.refund?.refundId === portal.refundId)?.refund?.status).toBe('PROCESSING');
  });

  it('the plain bill is unsigned text with a BOM and CRLF lines; tar_type=GZIP sends the same bill gzipped', async () => {
    const day = today();
    paid(100);
    paid(250);
    advanceToReady(day);
    const plain = await download({ billDate: day, billType: 'ALL' });
    expect(plain.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const raw = new Uint8Array(await plain.arrayBuffer());
    expect([raw[0], raw[1], raw[2]]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(raw);
    expect(text.startsWith('\uFEFF交易时间,')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(6);
    expect(text).not.toContain('<xml>');
    expect(text.endsWith('总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n`2.0,`3.5,`0.0,`0.0,`0.03,`3.5,`0.0\r\n')).toBe(true);

    const zipped = await download({ billDate: day, billType: 'ALL', gzip: true });
    expect(zipped.headers.get('content-type')).toBe('application/x-gzip');
    const bytes = new Uint8Array(await zipped.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const read = await collectTradeBill([bytes], { billType: 'ALL' });
    expect(read.summary).toMatchObject({ count: 2, totalFee: 350 });
  });

  it('answers Bill Creating until the ready hour of the next day, then the bill', async () => {
    const day = today();
    paid(300);
    const early = await download({ billDate: day });
    await expect(collectTradeBill([new Uint8Array(await early.arrayBuffer())])).rejects.toSatisfy(
      (e) => e instanceof WxPayDownloadBillError && e.kind === 'bill_not_ready' && e.returnMsg === 'Bill Creating' && e.retryable,
    );
    advanceToReady(day, -1000);
    expect((await billError({ bill_date: day })).return_msg).toBe('Bill Creating');
    emu.control.advanceClock(1000);
    expect((await bill(day, 'ALL')).summary.count).toBe(1);
  });

  it('No Bill Exist (error_code 20002, unsigned) for a day without trades, a type without rows and RECHARGE_REFUND', async () => {
    const day = today();
    paid(300);
    advanceToReady(day);
    const previous = billDateOf(new Date(emu.control.now().getTime() - 2 * DAY_MS));
    const empty = await billError({ bill_date: previous });
    expect(empty).toEqual({ return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' });
    expect((await billError({ bill_date: day, bill_type: 'REFUND' })).return_msg).toBe('No Bill Exist');
    expect((await billError({ bill_date: day, bill_type: 'RECHARGE_REFUND' })).return_msg).toBe('No Bill Exist');
    const res = await download({ billDate: previous });
    await expect(collectTradeBill([new Uint8Array(await res.arrayBuffer())])).rejects.toSatisfy((e) => e instanceof WxPayDownloadBillError && e.kind === 'no_trades_that_day');
  });

  it('refuses bad dates, types, tar_type, missing fields and bad signatures with the documented messages', async () => {
    const now = emu.control.now().getTime();
    const tomorrow = billDateOf(new Date(now + DAY_MS));
    const tooOld = billDateOf(new Date(now - 100 * DAY_MS));
    for (const bill_date of ['20250231', '2025-03-01', '2025031', 'abcdefgh', tomorrow, tooOld]) {
      expect(await billError({ bill_date }), bill_date).toEqual({ return_code: 'FAIL', return_msg: 'invalid bill_date' });
    }
    const recent = billDateOf(new Date(now - 80 * DAY_MS));
    expect((await billError({ bill_date: recent })).return_msg).toBe('No Bill Exist');
    expect((await billError({ bill_date: recent, bill_type: 'FOO' })).return_msg).toBe('invalid bill_type');
    expect((await billError({ bill_date: recent, tar_type: 'ZIP' })).return_msg).toBe('data format error');
    expect((await billError({})).return_msg).toBe('missing parameter');
    const wrongKey: V2Merchant = { ...md5Merchant, apiKey: 'x'.repeat(32) };
    expect(await billError({ bill_date: recent }, wrongKey)).toEqual({ return_code: 'FAIL', return_msg: 'sign error', error_code: '20001' });
    const res = await download({ billDate: recent }, wrongKey);
    await expect(collectTradeBill([new Uint8Array(await res.arrayBuffer())])).rejects.toSatisfy((e) => e instanceof WxPayDownloadBillError && e.kind === 'signature_invalid');
  });

  it('injected SYSTEMERROR is the unsigned downloadbill answer', async () => {
    emu.control.setFaults('downloadbill', { systemErrorRate: 1, count: 1 });
    expect(await billError({ bill_date: today() })).toEqual({ return_code: 'FAIL', return_msg: 'SYSTEMERROR' });
  });
});

describe('downloadbill faults: the bill disagrees with what the shop was told', () => {
  it('alterBillAmount shows another amount than the ledger, with a summary that still agrees with the rows', async () => {
    const day = today();
    const order = paid(1999);
    emu.control.alterBillAmount(order, 1500);
    advanceToReady(day);
    const all = await bill(day, 'ALL');
    expect(emu.control.order(order)?.totalFee).toBe(1999);
    expect(all.rows[0]).toMatchObject({ outTradeNo: order, totalFee: 1500, settlementTotalFee: 1500 });
    expect(all.summary.totalFee).toBe(1500);
    emu.control.reset();
    expect(() => emu.control.alterBillAmount(order, 1)).toThrow(/no order/);
  });

  it('corruptBillSummary makes the protocol parser refuse the bill', async () => {
    const day = today();
    paid(1000);
    emu.control.corruptBillSummary(day);
    advanceToReady(day);
    for (const billType of ['ALL', 'SUCCESS'] as const) {
      await expect(bill(day, billType)).rejects.toSatisfy((e) => e instanceof WxPayBillError && e.code === 'BILL_TOTAL_MISMATCH');
    }
    emu.control.reset();
    paid(1000);
    advanceToReady(today());
    await expect(bill(billDateOf(new Date(emu.control.now().getTime() - DAY_MS)), 'ALL')).resolves.toBeDefined();
  });

  it('payWithoutNotify: the bill shows a payment that was never notified', async () => {
    const receiver = await startReceiver(() => ({ body: '<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>' }));
    try {
      const day = today();
      const { outTradeNo: silent } = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 700, notifyUrl: receiver.url });
      emu.control.payWithoutNotify(silent);
      const notified = paid(300, receiver.url);
      await emu.control.waitForDeliveries((d) => d.outTradeNo === notified && d.acked, 5000);
      expect(emu.control.deliveries().filter((d) => d.outTradeNo === silent)).toEqual([]);
      advanceToReady(day);
      const all = await bill(day, 'SUCCESS');
      expect(all.rows.map((r) => r.outTradeNo).sort()).toEqual([silent, notified].sort());
    } finally {
      await receiver.close();
    }
  });
});

describe('downloadbill: a large day', () => {
  it('streams a bill of 5 000 payments that the streaming parser reads with a matching summary', async () => {
    const day = today();
    let expected = 0;
    for (let i = 0; i < 5000; i++) {
      const fee = 1 + (i % 997);
      expected += fee;
      const { outTradeNo } = emu.control.seedOrder({ outTradeNo: `BIG${i}`, totalFee: fee });
      emu.control.payOrder(outTradeNo);
    }
    advanceToReady(day);
    const res = await download({ billDate: day, billType: 'SUCCESS' });
    // Streamed, not built as one buffer: no Content-Length.
    expect(res.headers.get('content-length')).toBeNull();
    const reader = readTradeBill(res.body as unknown as AsyncIterable<Uint8Array>, { billType: 'SUCCESS' });
    let rows = 0;
    let total = 0;
    for await (const row of reader) {
      rows += 1;
      total += row.totalFee;
    }
    expect(rows).toBe(5000);
    expect(total).toBe(expected);
    expect(reader.summary).toMatchObject({ count: 5000, totalFee: expected, settlementTotalFee: expected });
  });
});
