import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import {
  buildCloseOrderRequest,
  buildMicropayReport,
  buildOrderQueryRequest,
  buildSingleCallReport,
  buildUnifiedOrderRequest,
  buildXml,
  parseCloseOrderResponse,
  parseXml,
  parseOrderQueryResponse,
  parseReportResponse,
  parseUnifiedOrderResponse,
  verifyV2,
  withSign,
  WxPayResultError,
  type V2Merchant,
} from '@checkout/protocol/wxpay';
import { CLOSE_FLOOR_MS, PREPAY_TTL_MS } from '../state/order-lifecycle';
import { hmacMerchant, independentV2Sign, md5Merchant, orderInput, post, postV2, startEmulator, type TestEmulator } from '../testing/test-fixtures';
import { V2_RETURN_MESSAGES } from '../wire/v2-wire';

const other = { appId: 'wxother00000000002', mchId: '1900000202', apiKey: 'otherapikey00000000000000000002x' };
let emu: TestEmulator;

beforeAll(async () => {
  emu = await startEmulator({ merchants: [devMerchant, other] });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const path = (p: string): string => `${emu.url}${p}`;

async function placeOrder(merchant: V2Merchant = md5Merchant, input = orderInput(), declaration = '') {
  const request = buildUnifiedOrderRequest(input, merchant, 'nonce0001');
  const answer = await post(path('/pay/unifiedorder'), declaration + request.xml);
  return { input, request, answer, result: parseUnifiedOrderResponse(answer.text, merchant) };
}

function expectReturnFail(fields: Record<string, string>, code: keyof typeof V2_RETURN_MESSAGES): void {
  expect(fields.return_code).toBe('FAIL');
  expect(fields.return_msg?.startsWith(V2_RETURN_MESSAGES[code])).toBe(true);
  expect(fields.sign).toBeUndefined();
}

function expectBusinessFail(text: string, merchant: V2Merchant, errCode: string): void {
  expect(() => parseUnifiedOrderResponse(text, merchant)).toThrowError(WxPayResultError);
  try {
    parseUnifiedOrderResponse(text, merchant);
  } catch (error) {
    expect((error as WxPayResultError).errCode).toBe(errCode);
  }
}

describe('unifiedorder', () => {
  it('accepts an XML declaration that names UTF-8 (or no encoding)', async () => {
    for (const declaration of ['<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='utf8'?>", '<?xml version="1.0"?>']) {
      const { result } = await placeOrder(md5Merchant, orderInput(), declaration);
      expect(result.prepayId).toMatch(/^wx/);
    }
  });

  it('creates an NOTPAY order and answers a signed prepay_id (MD5)', async () => {
    const { input, result, answer } = await placeOrder();
    expect(result.prepayId).toMatch(/^wx\d{14}[0-9a-f]{20}$/);
    expect(result.tradeType).toBe('JSAPI');
    expect(answer.text).not.toContain('sign_type');
    expect(result.raw.sign).toBe(independentV2Sign(result.raw, devMerchant.apiKey, 'MD5'));
    const order = emu.control.order(input.outTradeNo);
    expect(order).toMatchObject({ tradeState: 'NOTPAY', totalFee: 1999, prepayId: result.prepayId, signType: 'MD5', appId: devMerchant.appId });
  });

  it('signs the answer with HMAC-SHA256 when the request used it', async () => {
    const { result, answer } = await placeOrder(hmacMerchant);
    expect(result.raw.sign).toHaveLength(64);
    expect(verifyV2(result.raw, devMerchant.apiKey)).toBe('HMAC-SHA256');
    expect(result.raw.sign).toBe(independentV2Sign(result.raw, devMerchant.apiKey, 'HMAC-SHA256'));
    expect(answer.status).toBe(200);
  });

  it('returns the same prepay_id for an identical re-order while it is valid, a new one after 2 h', async () => {
    const first = await placeOrder();
    const again = parseUnifiedOrderResponse((await post(path('/pay/unifiedorder'), buildUnifiedOrderRequest(first.input, md5Merchant, 'othernonce').xml)).text, md5Merchant);
    expect(again.prepayId).toBe(first.result.prepayId);
    emu.control.advanceClock(PREPAY_TTL_MS);
    const later = parseUnifiedOrderResponse((await post(path('/pay/unifiedorder'), buildUnifiedOrderRequest(first.input, md5Merchant, 'n3').xml)).text, md5Merchant);
    expect(later.prepayId).not.toBe(first.result.prepayId);
    expect(emu.control.orders()).toHaveLength(1);
  });

  it('answers INVALID_REQUEST "201 商户订单号重复" when the same out_trade_no comes back with any other parameter changed', async () => {
    const first = await placeOrder();
    const changes = [
      { totalFee: 2000 },
      { body: `${first.input.body}2` },
      { spbillCreateIp: '10.0.0.9' },
      { notifyUrl: 'https://merchant.example/other-notify' },
      { attach: 'changed' },
    ];
    for (const [n, change] of changes.entries()) {
      const text = (await post(path('/pay/unifiedorder'), buildUnifiedOrderRequest({ ...first.input, ...change }, md5Merchant, `n${n}x`).xml)).text;
      expectBusinessFail(text, md5Merchant, 'INVALID_REQUEST');
      expect(parseXml(text).err_code_des).toBe('201 商户订单号重复');
    }
    // A different sign type is a different request too.
    expectBusinessFail((await post(path('/pay/unifiedorder'), buildUnifiedOrderRequest(first.input, hmacMerchant, 'n4').xml)).text, hmacMerchant, 'INVALID_REQUEST');
    // Only nonce_str and sign may differ.
    const again = parseUnifiedOrderResponse((await post(path('/pay/unifiedorder'), buildUnifiedOrderRequest(first.input, md5Merchant, 'n5').xml)).text, md5Merchant);
    expect(again.prepayId).toBe(first.result.prepayId);
  });

  it('answers ORDERPAID for a paid order and ORDERCLOSED for a closed one', async () => {
    const paid = await placeOrder();
    emu.control.payOrder(paid.input.outTradeNo);
    expectBusinessFail((await post(path('/pay/unifiedorder'), paid.request.xml)).text, md5Merchant, 'ORDERPAID');
    const closed = await placeOrder();
    emu.control.closeOrder(closed.input.outTradeNo);
    expectBusinessFail((await post(path('/pay/unifiedorder'), closed.request.xml)).text, md5Merchant, 'ORDERCLOSED');
  });

  it('answers LACK_PARAMS without openid and PARAM_ERROR for a bad total_fee or notify_url', async () => {
    const base = buildUnifiedOrderRequest(orderInput(), md5Merchant, 'n').fields;
    const { sign: _s, openid: _o, ...noOpenid } = base;
    expectReturnFail((await postV2(path('/pay/unifiedorder'), buildXml(withSign(noOpenid, devMerchant.apiKey, 'MD5')))).fields, 'LACK_PARAMS');
    const { sign: _s2, ...unsigned } = base;
    const bads: Record<string, string>[] = [{ total_fee: '0' }, { total_fee: '1.5' }, { notify_url: 'http://example.com/n?x=1' }, { trade_type: 'NATIVE' }, { time_expire: '20240230120000' }, { spbill_create_ip: 'localhost' }, { spbill_create_ip: '1.2.3' }];
    for (const bad of bads) {
      const xml = buildXml(withSign({ ...unsigned, ...bad }, devMerchant.apiKey, 'MD5'));
      expectReturnFail((await postV2(path('/pay/unifiedorder'), xml)).fields, 'PARAM_ERROR');
    }
  });

  it('counts body (String(127)) in UTF-8 bytes: 127 bytes are taken, 128 are refused', async () => {
    const { sign: _s, ...unsigned } = buildUnifiedOrderRequest(orderInput(), md5Merchant, 'n').fields;
    const send = (body: string) => postV2(path('/pay/unifiedorder'), buildXml(withSign({ ...unsigned, out_trade_no: `B${String(body.length)}${String(Buffer.byteLength(body))}`, body }, devMerchant.apiKey, 'MD5')));
    for (const body of ['a'.repeat(127), `${'长'.repeat(42)}a`]) expect((await send(body)).fields.result_code).toBe('SUCCESS');
    for (const body of ['a'.repeat(128), '长'.repeat(43), '😀'.repeat(32)]) {
      const { fields } = await send(body);
      expectReturnFail(fields, 'PARAM_ERROR');
      expect(fields.return_msg).toContain('body');
    }
  });
});

describe('v2 transport errors', () => {
  const valid = (): string => buildUnifiedOrderRequest(orderInput(), md5Merchant, 'n').xml;

  it.each([
    ['/pay/unifiedorder'],
    ['/pay/orderquery'],
    ['/pay/closeorder'],
    ['/payitil/report'],
  ])('%s answers REQUIRE_POST_METHOD, POST_DATA_EMPTY, XML_FORMAT_ERROR and NOT_UTF8', async (p) => {
    const get = await fetch(path(p));
    expect(get.status).toBe(200);
    const getText = await get.text();
    expect(getText).toContain(V2_RETURN_MESSAGES.REQUIRE_POST_METHOD);
    expectReturnFail((await postV2(path(p), '')).fields, 'POST_DATA_EMPTY');
    expectReturnFail((await postV2(path(p), '  \n')).fields, 'POST_DATA_EMPTY');
    expectReturnFail((await postV2(path(p), '<xml><appid>x</appid>')).fields, 'XML_FORMAT_ERROR');
    expectReturnFail((await postV2(path(p), '<!DOCTYPE x [<!ENTITY a "b">]><xml><a>&a;</a></xml>')).fields, 'XML_FORMAT_ERROR');
    // GBK bytes for 测试 are not UTF-8.
    const gbk = Buffer.concat([Buffer.from('<xml><body>'), Buffer.from([0xb2, 0xe2, 0xca, 0xd4]), Buffer.from('</body></xml>')]);
    expectReturnFail((await postV2(path(p), gbk)).fields, 'NOT_UTF8');
    expectReturnFail((await postV2(path(p), valid(), { 'content-type': 'text/xml; charset=GBK' })).fields, 'NOT_UTF8');
    // UTF-8 bytes that the declaration says are GBK: WeChat decodes them as GBK.
    expectReturnFail((await postV2(path(p), `<?xml version="1.0" encoding="GBK"?>${valid()}`)).fields, 'NOT_UTF8');
  });

  it('answers APPID_NOT_EXIST, MCHID_NOT_EXIST and APPID_MCHID_NOT_MATCH', async () => {
    const u = path('/pay/unifiedorder');
    expectReturnFail((await postV2(u, buildUnifiedOrderRequest(orderInput(), { ...md5Merchant, appId: 'wxunknown' }, 'n').xml)).fields, 'APPID_NOT_EXIST');
    expectReturnFail((await postV2(u, buildUnifiedOrderRequest(orderInput(), { ...md5Merchant, mchId: '1234' }, 'n').xml)).fields, 'MCHID_NOT_EXIST');
    expectReturnFail((await postV2(u, buildUnifiedOrderRequest(orderInput(), { ...md5Merchant, mchId: other.mchId }, 'n').xml)).fields, 'APPID_MCHID_NOT_MATCH');
  });

  it('answers SIGNERROR for a wrong key, a tampered field, lower-case sign_type or undeclared HMAC', async () => {
    const u = path('/pay/unifiedorder');
    expectReturnFail((await postV2(u, buildUnifiedOrderRequest(orderInput(), { ...md5Merchant, apiKey: 'x'.repeat(32) }, 'n').xml)).fields, 'SIGNERROR');
    const tampered = valid().replace('<total_fee>1999</total_fee>', '<total_fee>1</total_fee>');
    expectReturnFail((await postV2(u, tampered)).fields, 'SIGNERROR');
    const { sign: _s, ...fields } = buildUnifiedOrderRequest(orderInput(), hmacMerchant, 'n').fields;
    const { sign_type: _t, ...undeclared } = fields;
    expectReturnFail((await postV2(u, buildXml(withSign(undeclared, devMerchant.apiKey, 'HMAC-SHA256')))).fields, 'SIGNERROR');
    expectReturnFail((await postV2(u, buildXml(withSign({ ...fields, sign_type: 'md5' }, devMerchant.apiKey, 'MD5')))).fields, 'PARAM_ERROR');
    const { sign: _s3, ...noSign } = buildUnifiedOrderRequest(orderInput(), md5Merchant, 'n').fields;
    expectReturnFail((await postV2(u, buildXml(noSign))).fields, 'LACK_PARAMS');
  });

  it('refuses a body over the size limit with XML_FORMAT_ERROR', async () => {
    const big = `<xml><detail>${'x'.repeat(70 * 1024)}</detail></xml>`;
    expectReturnFail((await postV2(path('/pay/unifiedorder'), big)).fields, 'XML_FORMAT_ERROR');
  });
});

describe('orderquery and closeorder', () => {
  it('follows the trade_state machine NOTPAY → SUCCESS with payment fields', async () => {
    const { input } = await placeOrder();
    const query = (): Promise<string> => post(path('/pay/orderquery'), buildOrderQueryRequest({ outTradeNo: input.outTradeNo }, md5Merchant, 'q').xml).then((a) => a.text);
    expect(parseOrderQueryResponse(await query(), md5Merchant).tradeState).toBe('NOTPAY');
    const paid = emu.control.payOrder(input.outTradeNo);
    const result = parseOrderQueryResponse(await query(), md5Merchant);
    expect(result).toMatchObject({ tradeState: 'SUCCESS', totalFee: 1999, cashFee: 1999, transactionId: paid.transactionId, openid: input.openid });
    expect(result.transactionId).toMatch(/^\d{28}$/);
    expect(result.timeEnd).toMatch(/^\d{14}$/);
    // by transaction_id too
    const byTx = withSign({ appid: devMerchant.appId, mch_id: devMerchant.mchId, nonce_str: 'q2', transaction_id: paid.transactionId ?? '' }, devMerchant.apiKey, 'MD5');
    expect(parseOrderQueryResponse((await post(path('/pay/orderquery'), buildXml(byTx))).text, md5Merchant).outTradeNo).toBe(input.outTradeNo);
  });

  it('answers ORDERNOTEXIST for an unknown order (query and close)', async () => {
    const q = await post(path('/pay/orderquery'), buildOrderQueryRequest({ outTradeNo: 'nope' }, md5Merchant, 'q').xml);
    expect(() => parseOrderQueryResponse(q.text, md5Merchant)).toThrowError(expect.objectContaining({ errCode: 'ORDERNOTEXIST' }) as Error);
    const c = await post(path('/pay/closeorder'), buildCloseOrderRequest({ outTradeNo: 'nope' }, md5Merchant, 'c').xml);
    expect(() => parseCloseOrderResponse(c.text, md5Merchant)).toThrowError(expect.objectContaining({ errCode: 'ORDERNOTEXIST' }) as Error);
  });

  it('refuses closeorder within 5 minutes (SYSTEMERROR), then closes; ORDERCLOSED after; PAYERROR can be closed', async () => {
    const { input } = await placeOrder();
    const close = (): Promise<string> => post(path('/pay/closeorder'), buildCloseOrderRequest({ outTradeNo: input.outTradeNo }, md5Merchant, 'c').xml).then((a) => a.text);
    const early = await close();
    expect(() => parseCloseOrderResponse(early, md5Merchant)).toThrowError(expect.objectContaining({ errCode: 'SYSTEMERROR' }) as Error);
    expect(emu.control.order(input.outTradeNo)?.tradeState).toBe('NOTPAY');
    emu.control.advanceClock(CLOSE_FLOOR_MS);
    parseCloseOrderResponse(await close(), md5Merchant);
    expect(emu.control.order(input.outTradeNo)?.tradeState).toBe('CLOSED');
    const again = await close();
    expect(() => parseCloseOrderResponse(again, md5Merchant)).toThrowError(expect.objectContaining({ errCode: 'ORDERCLOSED' }) as Error);
    // a closed order cannot be paid
    expect(() => emu.control.payOrder(input.outTradeNo)).toThrowError(expect.objectContaining({ code: 'ORDERCLOSED' }) as Error);

    const failed = await placeOrder();
    emu.control.failOrder(failed.input.outTradeNo);
    const q = await post(path('/pay/orderquery'), buildOrderQueryRequest({ outTradeNo: failed.input.outTradeNo }, md5Merchant, 'q').xml);
    expect(parseOrderQueryResponse(q.text, md5Merchant).tradeState).toBe('PAYERROR');
    emu.control.advanceClock(CLOSE_FLOOR_MS);
    parseCloseOrderResponse((await post(path('/pay/closeorder'), buildCloseOrderRequest({ outTradeNo: failed.input.outTradeNo }, md5Merchant, 'c').xml)).text, md5Merchant);
  });

  it('answers ORDERPAID when closing a paid order', async () => {
    const { input } = await placeOrder();
    emu.control.payOrder(input.outTradeNo);
    emu.control.advanceClock(CLOSE_FLOOR_MS);
    const answer = await post(path('/pay/closeorder'), buildCloseOrderRequest({ outTradeNo: input.outTradeNo }, md5Merchant, 'c').xml);
    expect(() => parseCloseOrderResponse(answer.text, md5Merchant)).toThrowError(expect.objectContaining({ errCode: 'ORDERPAID' }) as Error);
  });
});

describe('payitil/report', () => {
  it('stores a valid single-call report and answers unsigned SUCCESS', async () => {
    const request = buildSingleCallReport(
      { interfaceUrl: 'https://api.mch.weixin.qq.com/pay/unifiedorder', executeTimeMs: 123, returnCode: 'SUCCESS', resultCode: 'SUCCESS', userIp: '127.0.0.1', time: '20261125101010', outTradeNo: 'R1' },
      md5Merchant,
      'r',
    );
    const answer = await post(path('/payitil/report'), request.xml);
    expect(parseReportResponse(answer.text)).toEqual({ returnCode: 'SUCCESS', returnMsg: 'OK', resultCode: 'SUCCESS' });
    expect(answer.text).not.toContain('<sign>');
    expect(emu.control.reports()).toEqual([expect.objectContaining({ kind: 'single', executeTimeMs: 123, outTradeNo: 'R1', mchId: devMerchant.mchId })]);
  });

  it('stores a micropay batch report, without appid too', async () => {
    const request = buildMicropayReport(
      { userIp: '8.8.8.8', trades: [{ outTradeNo: 'M1', beginTime: '20160602203256', endTime: '20160602203257', state: 'OK' }] },
      md5Merchant,
      'r',
    );
    const { appid: _a, sign: _s, ...noAppId } = request.fields;
    const answer = await post(path('/payitil/report'), buildXml(withSign(noAppId, devMerchant.apiKey, 'MD5')));
    expect(parseReportResponse(answer.text).returnCode).toBe('SUCCESS');
    expect(emu.control.reports()[0]).toMatchObject({ kind: 'micropay', trades: [expect.objectContaining({ outTradeNo: 'M1', state: 'OK' })] });
  });

  it('refuses execute_time without the trailing underscore and bad signatures', async () => {
    const request = buildSingleCallReport(
      { interfaceUrl: 'https://api.mch.weixin.qq.com/pay/orderquery', executeTimeMs: 5, returnCode: 'SUCCESS', resultCode: 'SUCCESS', userIp: '127.0.0.1', time: '20261125101010' },
      md5Merchant,
      'r',
    );
    const { sign: _s, execute_time_: t, ...rest } = request.fields;
    const wrongName = buildXml(withSign({ ...rest, execute_time: t ?? '5' }, devMerchant.apiKey, 'MD5'));
    const answer = await postV2(path('/payitil/report'), wrongName);
    expectReturnFail(answer.fields, 'LACK_PARAMS');
    expect(answer.fields.return_msg).toContain('execute_time_');
    expectReturnFail((await postV2(path('/payitil/report'), request.xml.replace('<execute_time_>5<', '<execute_time_>6<'))).fields, 'SIGNERROR');
    expect(emu.control.reports()).toHaveLength(0);
  });

  it('checks the field table itself: what a buggy client sends is refused with the documented code', async () => {
    const { sign: _s, ...good } = buildSingleCallReport(
      { interfaceUrl: 'https://api.mch.weixin.qq.com/pay/orderquery', executeTimeMs: 5, returnCode: 'FAIL', resultCode: 'FAIL', userIp: '10.1.2.3', time: '20261125101010', errCode: 'TIMEOUT' },
      md5Merchant,
      'r',
    ).fields;
    const cases: [Record<string, string | undefined>, 'LACK_PARAMS' | 'PARAM_ERROR', string][] = [
      [{ result_code: undefined }, 'LACK_PARAMS', 'result_code'],
      [{ return_code: undefined }, 'LACK_PARAMS', 'return_code'],
      [{ user_ip: undefined }, 'LACK_PARAMS', 'user_ip'],
      [{ interface_url: undefined }, 'LACK_PARAMS', 'interface_url'],
      [{ result_code: 'OK' }, 'PARAM_ERROR', 'result_code'],
      [{ user_ip: '2001:db8::1' }, 'PARAM_ERROR', 'user_ip'],
      [{ user_ip: '010.001.002.003' }, 'PARAM_ERROR', 'user_ip'],
      [{ execute_time_: '-5' }, 'PARAM_ERROR', 'execute_time_'],
      [{ execute_time_: '1.5' }, 'PARAM_ERROR', 'execute_time_'],
      [{ err_code_des: '错'.repeat(129) }, 'PARAM_ERROR', 'err_code_des'],
      [{ out_trade_no: 'x'.repeat(33) }, 'PARAM_ERROR', 'out_trade_no'],
      [{ time: '20261332101010' }, 'PARAM_ERROR', 'time'],
      [{ interface_url: '/pay/orderquery' }, 'PARAM_ERROR', 'interface_url'],
    ];
    for (const [patch, code, field] of cases) {
      const fields = Object.fromEntries(Object.entries({ ...good, ...patch }).filter((e): e is [string, string] => e[1] !== undefined));
      const answer = await postV2(path('/payitil/report'), buildXml(withSign(fields, devMerchant.apiKey, 'MD5')));
      expectReturnFail(answer.fields, code);
      expect(answer.fields.return_msg, JSON.stringify(patch)).toContain(field);
    }
    const trades = (list: unknown) => buildXml(withSign({ mch_id: md5Merchant.mchId, nonce_str: 'r', user_ip: '8.8.8.8', interface_url: 'https://api.mch.weixin.qq.com/pay/batchreport/micropay/total', trades: JSON.stringify(list) }, devMerchant.apiKey, 'MD5'));
    for (const list of [[], [{ out_trade_no: 'M1', begin_time: '20160602203256', end_time: '20160602203257', state: 'CANCEL' }], [{ out_trade_no: 'M1', begin_time: '2016-06-02', end_time: '20160602203257', state: 'OK' }]]) {
      expectReturnFail((await postV2(path('/payitil/report'), trades(list))).fields, 'PARAM_ERROR');
    }
    expect(emu.control.reports()).toHaveLength(0);
  });
});
