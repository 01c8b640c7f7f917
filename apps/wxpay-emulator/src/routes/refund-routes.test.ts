import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant, devTls } from '@checkout/protocol/testing';
import {
  buildOrderQueryRequest,
  buildRefundQueryRequest,
  buildRefundRequest,
  parseOrderQueryResponse,
  parseRefundQueryResponse,
  parseRefundResponse,
  WxPayResultError,
  type RefundInput,
  type V2Merchant,
} from '@checkout/protocol/wxpay';
import type { EmulatorOrder } from '../emulator-types';
import { MAX_REFUNDS_PER_ORDER, REFUND_WINDOW_MS } from '../state/refund-lifecycle';
import {
  devMerchantPem,
  hmacMerchant,
  independentV2Sign,
  md5Merchant,
  newOutTradeNo,
  otherMerchantPem,
  post,
  postTls,
  signedV2Xml,
  startEmulator,
  type TestEmulator,
  type TlsClientIdentity,
} from '../testing/test-fixtures';
import { V2_RETURN_MESSAGES } from '../wire/v2-wire';

const other = { appId: 'wxother00000000999', mchId: '1900000999', apiKey: 'otherapikey00000000000000000999x', apiClientCertPem: devTls.otherMerchantCertPem };
const otherV2: V2Merchant = { appId: other.appId, mchId: other.mchId, apiKey: other.apiKey, signType: 'MD5' };
let emu: TestEmulator;

beforeAll(async () => {
  // Refunds held, so each test decides outcomes; no interval, so partial refunds follow each other.
  emu = await startEmulator({ merchants: [devMerchant, other], refundMinIntervalMs: 0, frozenClock: true });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.reset();
  emu.control.holdRefunds(true);
});

const refundUrl = (): string => `${emu.secureUrl}/secapi/pay/refund`;

function paidOrder(totalFee = 1000, mchId: string = devMerchant.mchId): EmulatorOrder {
  const { outTradeNo } = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee, mchId });
  return emu.control.payOrder(outTradeNo);
}

let refundSeq = 0;
const newOutRefundNo = (): string => `R${Date.now()}${++refundSeq}`;

function refundXml(order: EmulatorOrder, refundFee: number, overrides: Partial<RefundInput> = {}, merchant: V2Merchant = md5Merchant): string {
  const input = { outTradeNo: order.outTradeNo, outRefundNo: newOutRefundNo(), totalFee: order.totalFee, refundFee, ...overrides } as RefundInput;
  return buildRefundRequest(input, merchant, `n${refundSeq}`).xml;
}

async function refund(xml: string, identity: TlsClientIdentity = devMerchantPem) {
  return postTls(refundUrl(), xml, identity);
}

function expectErrCode(fields: Record<string, string>, errCode: string): void {
  expect(fields.return_code).toBe('SUCCESS');
  expect(fields.result_code).toBe('FAIL');
  expect(fields.err_code).toBe(errCode);
  expect(fields.sign).toBe(independentV2Sign(fields, devMerchant.apiKey, 'MD5'));
}

describe('/secapi/pay/refund mutual TLS', () => {
  it('closes the connection unanswered without a client certificate, also on plain HTTP', async () => {
    const order = paidOrder();
    await expect(refund(refundXml(order, 100), {})).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect(post(`${emu.url}/secapi/pay/refund`, refundXml(order, 100))).rejects.toThrow();
    // Even the dev merchant's certificate cannot travel over plain HTTP.
    expect(emu.control.refunds()).toEqual([]);
  });

  it("refuses another merchant's certificate with return_code FAIL", async () => {
    const order = paidOrder();
    const { fields } = await refund(refundXml(order, 100), otherMerchantPem);
    expect(fields.return_code).toBe('FAIL');
    expect(fields.return_msg).toContain(V2_RETURN_MESSAGES.CERT_INVALID);
    expect(fields.return_msg).toContain(devMerchant.mchId);
    // ...and the dev merchant's certificate for the other merchant's request.
    const otherOrder = paidOrder(500, other.mchId);
    const cross = await refund(refundXml(otherOrder, 100, {}, otherV2), devMerchantPem);
    expect(cross.fields.return_code).toBe('FAIL');
    expect(emu.control.refunds()).toEqual([]);
  });

  it('closes the connection for a certificate that does not verify as a client certificate', async () => {
    // Issued by the dev CA, but for serverAuth only: TLS does not verify it as a client's.
    await expect(refund(refundXml(paidOrder(), 100), { cert: devTls.serverCertPem, key: devTls.serverKeyPem })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emu.control.refunds()).toEqual([]);
  });

  it("accepts the merchant's PEM pair and its .p12", async () => {
    const order = paidOrder();
    const pem = await refund(refundXml(order, 100));
    expect(parseRefundResponse(pem.text, md5Merchant).refundFee).toBe(100);
    const p12 = await refund(refundXml(order, 200), { pfx: devTls.merchantP12, passphrase: devTls.merchantP12Passphrase });
    expect(parseRefundResponse(p12.text, md5Merchant).refundFee).toBe(200);
    const otherOrder = paidOrder(500, other.mchId);
    const own = await refund(refundXml(otherOrder, 500, {}, otherV2), otherMerchantPem);
    expect(parseRefundResponse(own.text, otherV2).refundFee).toBe(500);
  });

  it('serves /pay/* on the HTTPS listener without a client certificate', async () => {
    const order = paidOrder();
    const { text } = await postTls(`${emu.secureUrl}/pay/orderquery`, buildOrderQueryRequest({ outTradeNo: order.outTradeNo }, md5Merchant, 'n1').xml);
    expect(parseOrderQueryResponse(text, md5Merchant).tradeState).toBe('SUCCESS');
  });
});

describe('POST /secapi/pay/refund', () => {
  it('accepts a full refund and answers the documented signed fields; orderquery then says REFUND', async () => {
    const order = paidOrder(1999);
    const input: RefundInput = { transactionId: order.transactionId ?? '', outRefundNo: newOutRefundNo(), totalFee: 1999, refundFee: 1999 };
    const { text, fields } = await refund(buildRefundRequest(input, hmacMerchant, 'n1').xml);
    expect(fields.sign).toBe(independentV2Sign(fields, devMerchant.apiKey, 'HMAC-SHA256'));
    const accepted = parseRefundResponse(text, hmacMerchant, input);
    expect(accepted).toMatchObject({ outTradeNo: order.outTradeNo, transactionId: order.transactionId, refundFee: 1999, totalFee: 1999, cashFee: 1999, settlementRefundFee: 1999, cashRefundFee: 1999, couponRefundFee: 0, coupons: [] });
    expect(accepted.refundId).toMatch(/^50\d{27}$/);
    expect(emu.control.refund(input.outRefundNo)).toMatchObject({ refundStatus: 'PROCESSING', refundRequestSource: 'API', refundAccount: 'REFUND_SOURCE_UNSETTLED_FUNDS', refundRecvAccout: '支付用户零钱', signType: 'HMAC-SHA256' });
    const query = await post(`${emu.url}/pay/orderquery`, buildOrderQueryRequest({ outTradeNo: order.outTradeNo }, md5Merchant, 'n2').xml);
    const state = parseOrderQueryResponse(query.text, md5Merchant);
    expect(state.tradeState).toBe('REFUND');
    expect(state.transactionId).toBe(order.transactionId);
  });

  it('takes partial refunds up to the paid amount and refuses what is above the remainder', async () => {
    const order = paidOrder(1000);
    for (const fee of [300, 300, 399]) expect((await refund(refundXml(order, fee))).fields.result_code).toBe('SUCCESS');
    const over = await refund(refundXml(order, 2));
    expectErrCode(over.fields, 'INVALID_REQUEST');
    expect(over.fields.err_code_des).toContain('可退金额');
    expect((await refund(refundXml(order, 1))).fields.result_code).toBe('SUCCESS');
    expectErrCode((await refund(refundXml(order, 1))).fields, 'INVALID_REQUEST');
    expect(emu.control.refunds(order.outTradeNo).map((r) => r.refundFee)).toEqual([300, 300, 399, 1]);
  });

  it('makes a closed refund refundable again', async () => {
    const order = paidOrder(1000);
    const first = await refund(refundXml(order, 1000));
    emu.control.closeRefund(first.fields.out_refund_no ?? '');
    expect((await refund(refundXml(order, 1000))).fields.result_code).toBe('SUCCESS');
  });

  it('refuses an unpaid or unknown order and an unknown transaction_id', async () => {
    const unpaid = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 100 });
    expectErrCode((await refund(refundXml(unpaid, 100))).fields, 'ORDERNOTEXIST');
    expectErrCode((await refund(refundXml({ ...unpaid, outTradeNo: 'NOSUCHORDER' }, 100))).fields, 'ORDERNOTEXIST');
    const byTransaction = refundXml(unpaid, 100, { outTradeNo: undefined, transactionId: '4200000000202601010000000000' });
    expectErrCode((await refund(byTransaction)).fields, 'INVALID_TRANSACTIONID');
  });

  it('refuses total_fee other than the order amount', async () => {
    const order = paidOrder(1000);
    const { fields } = await refund(refundXml(order, 100, { totalFee: 999 }));
    expectErrCode(fields, 'PARAM_ERROR');
  });

  it('answers the same out_refund_no again without a second refund; other amounts are refused', async () => {
    const order = paidOrder(1000);
    const input: RefundInput = { outTradeNo: order.outTradeNo, outRefundNo: newOutRefundNo(), totalFee: 1000, refundFee: 400 };
    const first = await refund(buildRefundRequest(input, md5Merchant, 'n1').xml);
    const again = await refund(buildRefundRequest(input, md5Merchant, 'n2').xml);
    expect(again.fields.refund_id).toBe(first.fields.refund_id);
    expect(emu.control.refunds(order.outTradeNo)).toHaveLength(1);
    const changed = await refund(buildRefundRequest({ ...input, refundFee: 500 }, md5Merchant, 'n3').xml);
    expectErrCode(changed.fields, 'PARAM_ERROR');
    expect(emu.control.refunds(order.outTradeNo)).toHaveLength(1);
  });

  it(`refuses refund number ${MAX_REFUNDS_PER_ORDER + 1} of one order`, async () => {
    const order = paidOrder(100);
    for (let i = 0; i < MAX_REFUNDS_PER_ORDER; i++) expect((await refund(refundXml(order, 1))).fields.result_code).toBe('SUCCESS');
    const { fields } = await refund(refundXml(order, 1));
    expectErrCode(fields, 'ERROR');
    expect(fields.err_code_des).toContain('50');
  });

  it('refuses an order paid more than a year ago (TRADE_OVERDUE, emulator clock)', async () => {
    const order = paidOrder(100);
    emu.control.advanceClock(REFUND_WINDOW_MS + 1000);
    expectErrCode((await refund(refundXml(order, 100))).fields, 'TRADE_OVERDUE');
  });

  it('checks the fields per the table', async () => {
    const order = paidOrder(100);
    const base = { out_trade_no: order.outTradeNo, out_refund_no: newOutRefundNo(), total_fee: '100', refund_fee: '50' };
    const cases: [Record<string, string | undefined>, keyof typeof V2_RETURN_MESSAGES][] = [
      [{ out_refund_no: undefined }, 'LACK_PARAMS'],
      [{ refund_fee: undefined }, 'LACK_PARAMS'],
      [{ out_trade_no: undefined }, 'LACK_PARAMS'],
      [{ out_refund_no: 'bad#no' }, 'PARAM_ERROR'],
      [{ out_refund_no: 'x'.repeat(65) }, 'PARAM_ERROR'],
      [{ out_trade_no: 'abc12' }, 'PARAM_ERROR'],
      [{ refund_fee: '0' }, 'PARAM_ERROR'],
      [{ refund_fee: '1.5' }, 'PARAM_ERROR'],
      [{ refund_fee: '101' }, 'PARAM_ERROR'],
      [{ refund_fee_type: 'USD' }, 'PARAM_ERROR'],
      [{ refund_desc: '退'.repeat(81) }, 'PARAM_ERROR'],
      [{ refund_account: 'REFUND_SOURCE_OTHER' }, 'PARAM_ERROR'],
      [{ notify_url: 'https://shop.example/n?x=1' }, 'PARAM_ERROR'],
    ];
    for (const [change, code] of cases) {
      const fields: Record<string, string> = { ...base };
      for (const [name, value] of Object.entries(change)) {
        if (value === undefined) delete fields[name];
        else fields[name] = value;
      }
      const answer = await refund(signedV2Xml(fields));
      expect(answer.fields.return_code, JSON.stringify(change)).toBe('FAIL');
      expect(answer.fields.return_msg?.startsWith(V2_RETURN_MESSAGES[code]), JSON.stringify(change)).toBe(true);
    }
    // Legacy op_user_id (tenpay still sends it), refund_fee_type CNY, refund_desc at 80 and @ in the number pass.
    const ok = await refund(signedV2Xml({ ...base, out_refund_no: `R@${refundSeq}`, op_user_id: devMerchant.mchId, refund_fee_type: 'CNY', refund_desc: '退'.repeat(80) }));
    expect(ok.fields.result_code).toBe('SUCCESS');
    const bad = await refund(signedV2Xml({ ...base, out_refund_no: newOutRefundNo() }).replace('<total_fee>100', '<total_fee>99'));
    expect(bad.fields.return_msg).toBe(V2_RETURN_MESSAGES.SIGNERROR);
    expect(emu.control.refunds(order.outTradeNo)).toHaveLength(1);
  });
});

describe('refund interval', () => {
  it('answers FREQUENCY_LIMITED within refundMinIntervalMs of the previous refund of the order', async () => {
    const strict = await startEmulator({ refundMinIntervalMs: 60_000, frozenClock: true });
    try {
      const { outTradeNo } = strict.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 100 });
      const order = strict.control.payOrder(outTradeNo);
      const send = (xml: string) => postTls(`${strict.secureUrl}/secapi/pay/refund`, xml, devMerchantPem);
      expect((await send(refundXml(order, 10))).fields.result_code).toBe('SUCCESS');
      const repeatInput: RefundInput = { outTradeNo, outRefundNo: newOutRefundNo(), totalFee: 100, refundFee: 10 };
      expect((await send(buildRefundRequest(repeatInput, md5Merchant, 'n1').xml)).fields.err_code).toBe('FREQUENCY_LIMITED');
      strict.control.advanceClock(60_000);
      expect((await send(buildRefundRequest(repeatInput, md5Merchant, 'n2').xml)).fields.result_code).toBe('SUCCESS');
    } finally {
      await strict.close();
    }
  });
});

describe('POST /pay/refundquery', () => {
  const query = async (q: Parameters<typeof buildRefundQueryRequest>[0]) => post(`${emu.url}/pay/refundquery`, buildRefundQueryRequest(q, md5Merchant, 'nq').xml);

  it('answers every refund of an order with its status, by out_trade_no or transaction_id', async () => {
    const order = paidOrder(1000);
    const numbers: string[] = [];
    for (let i = 0; i < 4; i++) numbers.push((await refund(refundXml(order, 100))).fields.out_refund_no ?? '');
    const [a = '', b = '', c = ''] = numbers;
    emu.control.settleRefund(a);
    emu.control.closeRefund(b);
    emu.control.changeRefund(c);
    for (const key of [{ outTradeNo: order.outTradeNo }, { transactionId: order.transactionId ?? '' }]) {
      const result = parseRefundQueryResponse((await query(key)).text, md5Merchant);
      expect(result.refunds.map((r) => [r.outRefundNo, r.refundStatus])).toEqual([
        [a, 'SUCCESS'],
        [b, 'REFUNDCLOSE'],
        [c, 'CHANGE'],
        [numbers[3], 'PROCESSING'],
      ]);
      expect(result.totalRefundCount).toBeUndefined();
      expect(result.refunds[0]?.refundSuccessTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(result.refunds[1]?.refundSuccessTime).toBeUndefined();
      expect(result.refunds[0]).toMatchObject({ refundFee: 100, refundChannel: 'ORIGINAL', refundRecvAccount: '支付用户零钱', refundAccount: 'REFUND_SOURCE_UNSETTLED_FUNDS' });
    }
  });

  it('answers one refund by refund_id or out_refund_no (which win over the order keys)', async () => {
    const order = paidOrder(1000);
    const first = (await refund(refundXml(order, 100))).fields;
    await refund(refundXml(order, 200));
    const byNo = parseRefundQueryResponse((await query({ outRefundNo: first.out_refund_no ?? '' })).text, md5Merchant);
    expect(byNo.refunds.map((r) => r.refundId)).toEqual([first.refund_id]);
    const byId = parseRefundQueryResponse((await query({ refundId: first.refund_id ?? '', transactionId: order.transactionId ?? '' })).text, md5Merchant);
    expect(byId.refunds.map((r) => r.outRefundNo)).toEqual([first.out_refund_no]);
  });

  it('pages 10 at a time with offset and total_refund_count; offset above the total is PARAM_ERROR', async () => {
    const order = paidOrder(100);
    for (let i = 0; i < 23; i++) await refund(refundXml(order, 1));
    const all = emu.control.refunds(order.outTradeNo).map((r) => r.outRefundNo);
    const first = parseRefundQueryResponse((await query({ outTradeNo: order.outTradeNo })).text, md5Merchant);
    expect(first.refunds.map((r) => r.outRefundNo)).toEqual(all.slice(0, 10));
    expect(first.totalRefundCount).toBe(23);
    const third = parseRefundQueryResponse((await query({ outTradeNo: order.outTradeNo, offset: 20 })).text, md5Merchant);
    expect(third.refunds.map((r) => r.outRefundNo)).toEqual(all.slice(20));
    expect(third.totalRefundCount).toBe(23);
    expect(third.raw.refund_count).toBe('3');
    const beyond = await query({ outTradeNo: order.outTradeNo, offset: 24 });
    expect(() => parseRefundQueryResponse(beyond.text, md5Merchant)).toThrowError(WxPayResultError);
    expect(beyond.text).toContain('PARAM_ERROR');
  });

  it('answers REFUNDNOTEXIST for no refund, an unpaid or unknown order and an unknown refund number', async () => {
    const paid = paidOrder(100);
    const unpaid = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 100 });
    for (const key of [{ outTradeNo: paid.outTradeNo }, { outTradeNo: unpaid.outTradeNo }, { outTradeNo: 'NOSUCHORDER' }, { outRefundNo: 'NOSUCHREFUND' }]) {
      const { text } = await query(key);
      expect(text).toContain('REFUNDNOTEXIST');
    }
  });

  it('refuses a request without any key or with a bad offset', async () => {
    const none = await post(`${emu.url}/pay/refundquery`, signedV2Xml({}));
    expect(none.text).toContain(V2_RETURN_MESSAGES.LACK_PARAMS);
    const badOffset = await post(`${emu.url}/pay/refundquery`, signedV2Xml({ out_trade_no: 'T1234567', offset: '-1' }));
    expect(badOffset.text).toContain(V2_RETURN_MESSAGES.PARAM_ERROR);
  });
});

describe('refund lifecycle through control', () => {
  it('settles by itself after refundSettleMs unless held', async () => {
    emu.control.holdRefunds(false);
    const quick = await startEmulator({ refundSettleMs: 20, refundMinIntervalMs: 0 });
    try {
      const { outTradeNo } = quick.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 100 });
      const order = quick.control.payOrder(outTradeNo);
      const { fields } = await postTls(`${quick.secureUrl}/secapi/pay/refund`, refundXml(order, 100), devMerchantPem);
      expect(quick.control.refund(fields.out_refund_no ?? '')?.refundStatus).toBe('PROCESSING');
      await expect.poll(() => quick.control.refund(fields.out_refund_no ?? '')?.refundStatus, { timeout: 5000 }).toBe('SUCCESS');
      expect(quick.control.refund(fields.out_refund_no ?? '')?.successTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      quick.control.holdRefunds(true);
      const held = await postTls(`${quick.secureUrl}/secapi/pay/refund`, refundXml(paidOrderOn(quick), 50), devMerchantPem);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(quick.control.refund(held.fields.out_refund_no ?? '')?.refundStatus).toBe('PROCESSING');
      quick.control.holdRefunds(false);
      await expect.poll(() => quick.control.refund(held.fields.out_refund_no ?? '')?.refundStatus, { timeout: 5000 }).toBe('SUCCESS');
    } finally {
      await quick.close();
    }
  });

  it('refuses a second outcome and unknown refunds', async () => {
    const { fields } = await refund(refundXml(paidOrder(100), 100));
    emu.control.changeRefund(fields.out_refund_no ?? '');
    expect(thrownCode(() => emu.control.settleRefund(fields.out_refund_no ?? ''))).toBe('REFUND_FINAL');
    expect(thrownCode(() => emu.control.closeRefund('NOSUCH'))).toBe('REFUND_NOT_FOUND');
  });

  it('makes portal refunds with a WeChat-made number and VENDOR_PLATFORM as source', async () => {
    const order = paidOrder(1000);
    const portal = emu.control.portalRefund({ outTradeNo: order.outTradeNo, refundFee: 600 });
    expect(portal).toMatchObject({ refundRequestSource: 'VENDOR_PLATFORM', refundFee: 600, totalFee: 1000, refundStatus: 'PROCESSING' });
    expect(portal.outRefundNo).toBe(portal.refundId);
    expect(thrownCode(() => emu.control.portalRefund({ outTradeNo: order.outTradeNo, refundFee: 401 }))).toBe('INVALID_REQUEST');
    const byQuery = await query({ outRefundNo: portal.outRefundNo });
    expect(byQuery.text).toContain(portal.refundId);
  });

  it('clears refunds on reset', async () => {
    await refund(refundXml(paidOrder(100), 100));
    emu.control.reset();
    expect(emu.control.refunds()).toEqual([]);
  });

  const query = async (q: Parameters<typeof buildRefundQueryRequest>[0]) => post(`${emu.url}/pay/refundquery`, buildRefundQueryRequest(q, md5Merchant, 'nq').xml);
});

function paidOrderOn(target: TestEmulator): EmulatorOrder {
  const { outTradeNo } = target.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 100 });
  return target.control.payOrder(outTradeNo);
}

/** The `code` of what fn throws (control errors carry one). */
function thrownCode(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return 'nothing thrown';
}
