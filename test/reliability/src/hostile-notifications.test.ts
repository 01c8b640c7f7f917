import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderPaymentResponse } from '@checkout/protocol/contract';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import { parseXml, signV2 } from '@checkout/protocol/wxpay';
import { expectOk, payAtCashierAndWait, startStack, SuiteSummary, type ContractClient, type RawResponse, type Stack } from '@checkout/test-harness';

const successAck = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

/**
 * Hostile pay notifications posted straight at /wxpay/notify: forged, unsigned, tampered, wrong
 * amount, wrong merchant, replayed for another order, DOCTYPE/entities, oversize, truncated,
 * binary. Each must get a FAIL ack (400, or 413 when too large) and change nothing.
 */
describe('hostile notifications', () => {
  const summary = new SuiteSummary('reliability:hostile-notify');
  let stack: Stack;
  let buyer: ContractClient;
  let target: OrderPaymentResponse;
  let paidElsewhere: OrderPaymentResponse;
  let paidBody: string;

  const notification = (overrides: Record<string, string | undefined>, options: { apiKey?: string; signType?: 'MD5' | 'HMAC-SHA256' } = {}): string =>
    buildSignedNotification(
      {
        appid: devMerchant.appId,
        mch_id: devMerchant.mchId,
        out_trade_no: target.order.outTradeNo,
        total_fee: String(target.order.payableFen),
        transaction_id: '4200009999202511250000000001',
        ...overrides,
      },
      { apiKey: options.apiKey ?? devMerchant.apiKey, signType: options.signType ?? 'HMAC-SHA256' },
    );
  const post = (body: string | Uint8Array, contentType = 'text/xml'): Promise<RawResponse> =>
    stack.api.raw('POST', '/wxpay/notify', { body, headers: { 'content-type': contentType } });

  const expectUnchanged = async (): Promise<void> => {
    const db = stack.database();
    const row = db.order(target.order.outTradeNo);
    expect(row).toMatchObject({ status: 'pending', transaction_id: null, paid_at: null });
    expect(db.eventKinds(row?.id ?? '')).not.toContain('paid');
    expect(expectOk(await buyer.getOrder(target.order.id)).order.status).toBe('pending');
  };

  beforeAll(async () => {
    stack = await startStack({ name: 'hostile-notify' });
    buyer = await stack.login();
    target = expectOk(await buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
    paidElsewhere = expectOk(await buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
    await payAtCashierAndWait(stack, buyer, paidElsewhere);
    // The genuine signed body WeChat Pay sent (the same for every copy and retry).
    const delivery = (await stack.emulator.deliveries()).find((d) => d.outTradeNo === paidElsewhere.order.outTradeNo && d.requestBody !== undefined);
    paidBody = delivery?.requestBody ?? '';
    expect(paidBody).toContain(paidElsewhere.order.outTradeNo);
  });
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  const rejected: [string, () => string | Uint8Array][] = [
    ['forged (signed with another key)', () => notification({}, { apiKey: 'ffffffffffffffffffffffffffffffff' })],
    ['forged MD5', () => notification({}, { apiKey: 'ffffffffffffffffffffffffffffffff', signType: 'MD5' })],
    ['unsigned', () => notification({ sign: undefined }).replace(/<sign>.*?<\/sign>/, '')],
    ['empty sign', () => notification({}).replace(/<sign>.*?<\/sign>/, '<sign></sign>')],
    ['tampered total_fee after signing', () => notification({}).replace(`<total_fee>${String(target.order.payableFen)}</total_fee>`, '<total_fee>1</total_fee>')],
    ['wrong amount, validly signed', () => notification({ total_fee: String(target.order.payableFen + 1) })],
    ['amount 1 fen, validly signed', () => notification({ total_fee: '1' })],
    ['wrong mch_id, validly signed', () => notification({ mch_id: '1900000999' })],
    ['wrong appid, validly signed', () => notification({ appid: 'wx0000000000000bad' })],
    ['unknown out_trade_no, validly signed', () => notification({ out_trade_no: 'NOSUCHORDER0000000001' })],
    ['sign_type contradicting the signature', () => notification({ sign_type: 'MD5' })],
    ['duplicate total_fee fields', () => notification({}).replace('</xml>', '<total_fee>1</total_fee></xml>')],
    ['__proto__ field', () => notification({}).replace('</xml>', '<__proto__>x</__proto__></xml>')],
    ['nested element', () => notification({}).replace('</xml>', '<attach><a>1</a></attach></xml>')],
    ['DOCTYPE with an entity', () => `<!DOCTYPE xml [<!ENTITY fee "${String(target.order.payableFen)}">]>${notification({}).replace(`<total_fee>${String(target.order.payableFen)}</total_fee>`, '<total_fee>&fee;</total_fee>')}`],
    ['billion laughs', () => `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><return_code>&lol3;</return_code></xml>`],
    ['external entity', () => `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><attach>&xxe;</attach></xml>`],
    ['truncated', () => notification({}).slice(0, 200)],
    ['two roots', () => `${notification({})}${notification({})}`],
    ['binary', () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)],
    ['empty body', () => ''],
    ['JSON instead of XML', () => JSON.stringify({ out_trade_no: target.order.outTradeNo, total_fee: target.order.payableFen, result_code: 'SUCCESS' })],
    ['payment of another order relabelled (out_trade_no swapped, not re-signed)', () => paidBody.replace(paidElsewhere.order.outTradeNo, target.order.outTradeNo)],
  ];

  it.each(rejected)('%s → FAIL ack, state unchanged', async (_name, body) => {
    const response = await post(body());
    expect(response.status).toBe(400);
    expect(parseXml(response.text).return_code).toBe('FAIL');
    await expectUnchanged();
  });

  it('oversize body (over 64 KiB) → 413 with a FAIL ack, state unchanged', async () => {
    const huge = notification({ attach: 'x'.repeat(70 * 1024) });
    const response = await post(huge);
    expect(response.status).toBe(413);
    expect(parseXml(response.text).return_code).toBe('FAIL');
    await expectUnchanged();
  });

  it('another order’s transaction_id, validly signed for this order → this order is not paid', async () => {
    const stolen = parseXml(paidBody).transaction_id ?? '';
    expect(stolen).not.toBe('');
    const response = await post(notification({ transaction_id: stolen }));
    expect([200, 400]).toContain(response.status);
    await expectUnchanged();
    expect(stack.database().order(paidElsewhere.order.outTradeNo)?.status).toBe('paid');
  });

  it('result_code=FAIL, validly signed → acknowledged, order stays pending (the buyer may still pay)', async () => {
    const response = await post(notification({ result_code: 'FAIL', err_code: 'NOTENOUGH', err_code_des: '余额不足', transaction_id: undefined }));
    expect(response.status).toBe(200);
    expect(response.text).toBe(successAck);
    await expectUnchanged();
  });

  it('the genuine notification of a paid order replayed → SUCCESS, still one transition', async () => {
    const response = await post(paidBody);
    expect(response).toMatchObject({ status: 200, text: successAck });
    const db = stack.database();
    expect(db.eventKinds(db.order(paidElsewhere.order.outTradeNo)?.id ?? '').filter((k) => k === 'paid')).toHaveLength(1);
  });

  it('afterwards: the target can still be paid for real, and no log line carries the API key or a signature', async () => {
    await payAtCashierAndWait(stack, buyer, target);
    const report = stack.database().integrity();
    expect(report.problems).toEqual([]);
    expect(report.paidTransitions).toBe(2);
    const logs = readFileSync(join(stack.dir, 'bff.log'), 'utf8');
    expect(logs).not.toContain(devMerchant.apiKey);
    const expectedSign = signV2(parseXml(notification({})), devMerchant.apiKey, 'HMAC-SHA256');
    expect(logs).not.toContain(expectedSign);
    expect(stack.bffWarnings().filter((line) => line.msg === 'pay notification rejected').length).toBeGreaterThanOrEqual(rejected.length - 3);
    summary.try(`${String(rejected.length + 4)} hostile notification kinds (forged, unsigned, tampered, wrong amount/merchant/appid, relabelled, stolen transaction_id, DOCTYPE/XXE/billion laughs, oversize, truncated, binary, empty, JSON)`);
    summary.hold(`every one refused with a FAIL ack (400/413) or harmlessly acked; target stayed pending until really paid; 2 transitions total; no key or signature in logs`);
  });
});
