import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { devMerchant, testKeys } from '@checkout/protocol/testing';
import { buildUnifiedOrderRequest, buildV3Authorization, buildXml, GOV_SUBSIDY_SYNC_PATH, parseXml, withSign, type SignType } from '@checkout/protocol/wxpay';
import { md5Merchant, orderInput, startEmulator, type TestEmulator } from './testing/test-fixtures';

// Random and malformed bodies must always get a WeChat-shaped answer, never a 5xx or a crash.
let emu: TestEmulator;
const logLines: Record<string, unknown>[] = [];
beforeAll(async () => {
  emu = await startEmulator({ govSyncPerSecond: 1_000_000, jscode2sessionPerMinute: 1_000_000, logger: (line) => logLines.push(line) });
});
afterAll(async () => {
  await emu.close();
  // Every answer came from a handler, none from the catch-all error handler.
  expect(logLines.filter((l) => l.msg === 'unhandled error')).toEqual([]);
});

const validXml = buildUnifiedOrderRequest(orderInput(), md5Merchant, 'fuzz').xml;
const fieldName = fc.oneof(fc.constantFrom('appid', 'mch_id', 'sign', 'sign_type', 'nonce_str', 'total_fee', 'out_trade_no', '__proto__', 'constructor', 'execute_time_', 'trades'), fc.string({ maxLength: 12 }));
const fieldValue = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(devMerchant.appId, devMerchant.mchId, 'MD5', 'HMAC-SHA256', 'md5', '', ']]>', '<![CDATA[', '&amp;', '&#0;', '&#x1F600;'));
const xmlDoc = fc.array(fc.tuple(fieldName, fieldValue, fc.boolean()), { maxLength: 12 }).map(
  (fields) => `<xml>${fields.map(([n, v, cdata]) => `<${n}>${cdata ? `<![CDATA[${v}]]>` : v}</${n}>`).join('')}</xml>`,
);
const mutated = fc.tuple(fc.nat(validXml.length), fc.nat(validXml.length), fc.string({ maxLength: 8 })).map(([a, b, insert]) => validXml.slice(0, Math.min(a, b)) + insert + validXml.slice(Math.max(a, b)));
// Random fields correctly signed for the dev merchant reach the endpoint's own validation.
const signedFields = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom('body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type', 'openid', 'time_expire', 'transaction_id', 'interface_url', 'execute_time_', 'return_code', 'user_ip', 'time', 'trades', 'fee_type'),
      // eslint-disable-next-line no-control-regex -- keeps only characters XML can carry
      fieldValue.filter((v) => /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]*$/.test(v)),
    ),
    fc.constantFrom<SignType>('MD5', 'HMAC-SHA256'),
  )
  .map(([fields, signType]) => {
    const all: Record<string, string> = { ...fields, appid: devMerchant.appId, mch_id: devMerchant.mchId, nonce_str: 'fuzz' };
    if (signType === 'HMAC-SHA256') all.sign_type = signType;
    return buildXml(withSign(all, devMerchant.apiKey, signType));
  });
const xmlBody = fc.oneof(
  signedFields.map((s) => Buffer.from(s)),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  xmlDoc.map((s) => Buffer.from(s)),
  mutated.map((s) => Buffer.from(s)),
  fc.constantFrom('<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><a>&x;</a></xml>', '<xml><a><b>deep</b></a></xml>', '<xml></xml><xml></xml>', '<xml>', '').map((s) => Buffer.from(s)),
);

describe('fuzz', () => {
  it.each(['/pay/unifiedorder', '/pay/orderquery', '/pay/closeorder', '/payitil/report'])('%s always answers v2 XML with return_code', async (path) => {
    await fc.assert(
      fc.asyncProperty(xmlBody, fc.constantFrom('text/xml', 'application/xml; charset=utf-8', 'text/plain; charset=gbk', 'application/json'), async (body, contentType) => {
        const response = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
        expect(response.status).toBe(200);
        const fields = parseXml(await response.text());
        expect(['SUCCESS', 'FAIL']).toContain(fields.return_code);
        if (fields.return_code === 'FAIL') expect(fields.return_msg).toBeTruthy();
      }),
      { numRuns: 80 },
    );
  });

  it('gov sync answers v3 JSON {code, message} with a 4xx to random bodies, signed or not', async () => {
    const jsonBody = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc.dictionary(fc.constantFrom('out_trade_no', 'qualification_region_code', 'real_name', 'order_amount', 'cate_state', '__proto__'), fc.jsonValue()).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(jsonBody, fc.boolean(), fc.option(fc.string({ maxLength: 40 })), async (body, signed, serial) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (signed) {
          headers.authorization = buildV3Authorization({ method: 'POST', pathWithQuery: GOV_SUBSIDY_SYNC_PATH, body, mchId: devMerchant.mchId, serialNo: devMerchant.merchantSerialNo, privateKey: testKeys.merchant.privateKey, timestampSeconds: Math.floor(Date.now() / 1000), nonce: 'fuzznonce' });
        }
        if (serial !== null && /^[\x21-\x7e]*$/.test(serial)) headers['wechatpay-serial'] = serial;
        const response = await fetch(`${emu.url}${GOV_SUBSIDY_SYNC_PATH}`, { method: 'POST', headers, body });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        const answer = (await response.json()) as { code: unknown; message: unknown };
        expect(typeof answer.code).toBe('string');
        expect(typeof answer.message).toBe('string');
      }),
      { numRuns: 100 },
    );
  });

  it('cashier/confirm answers {errMsg} to random JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ maxLength: 100 })), async (body) => {
        const response = await fetch(`${emu.url}/cashier/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(response.status).toBe(400);
        const answer = (await response.json()) as { errMsg: unknown };
        expect(String(answer.errMsg)).toMatch(/^requestPayment:fail /);
      }),
      { numRuns: 100 },
    );
  });

  it('jscode2session answers {errcode, errmsg} to random query strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('appid', 'secret', 'js_code', 'grant_type', 'x'), fc.string({ maxLength: 40 })), async (query) => {
        const response = await fetch(`${emu.url}/sns/jscode2session?${new URLSearchParams(query).toString()}`);
        expect(response.status).toBe(200);
        const answer = (await response.json()) as { errcode: unknown };
        expect(typeof answer.errcode).toBe('number');
      }),
      { numRuns: 100 },
    );
  });

  it('stable_token, upload_shipping_info and get_order answer {errcode, errmsg} JSON to random bodies', async () => {
    const tokenAnswer = await fetch(`${emu.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: devMerchant.appId, secret: devMerchant.appSecret }) });
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
    const anything = fc.oneof(fc.jsonValue(), fc.constantFrom(1, 2, '1', 'SF', '', null, [], {}, '2025-06-01T10:00:00+08:00'));
    const shippingItem = fc.dictionary(fc.constantFrom('tracking_no', 'express_company', 'item_desc', 'contact', '__proto__'), anything);
    const jsonBody = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc
        .dictionary(
          fc.constantFrom('order_key', 'logistics_type', 'delivery_mode', 'is_all_delivered', 'shipping_list', 'upload_time', 'payer', 'transaction_id', 'merchant_id', 'merchant_trade_no', 'grant_type', 'appid', 'secret', 'force_refresh', '__proto__', 'constructor'),
          fc.oneof(anything, fc.array(shippingItem, { maxLength: 17 }), fc.dictionary(fc.constantFrom('order_number_type', 'transaction_id', 'mchid', 'out_trade_no', 'openid'), anything)),
        )
        .map((v) => JSON.stringify(v)),
    );
    const path = fc.constantFrom('/cgi-bin/stable_token', `/wxa/sec/order/upload_shipping_info?access_token=${token}`, `/wxa/sec/order/get_order?access_token=${token}`, '/wxa/sec/order/get_order');
    await fc.assert(
      fc.asyncProperty(path, jsonBody, async (target, body) => {
        const response = await fetch(`${emu.url}${target}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(response.status).toBe(200);
        const answer = (await response.json()) as { errcode?: unknown; errmsg?: unknown; access_token?: unknown };
        if (answer.access_token === undefined) {
          expect(typeof answer.errcode).toBe('number');
          expect(typeof answer.errmsg).toBe('string');
        }
      }),
      { numRuns: 200 },
    );
  });
});
