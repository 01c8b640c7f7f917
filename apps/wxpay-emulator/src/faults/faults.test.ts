import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant, testKeys, testPlatformPublicKeys } from '@checkout/protocol/testing';
import {
  buildOrderQueryRequest,
  buildUnifiedOrderRequest,
  buildV3Authorization,
  GOV_SUBSIDY_SYNC_PATH,
  parseUnifiedOrderResponse,
  verifyV3Response,
  WxPayResultError,
  WxPaySignatureError,
} from '@checkout/protocol/wxpay';
import { md5Merchant, orderInput, post, startEmulator, type TestEmulator } from '../testing/test-fixtures';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const unifiedorder = (input = orderInput()) => post(`${emu.url}/pay/unifiedorder`, buildUnifiedOrderRequest(input, md5Merchant, 'n').xml);

describe('fault injection', () => {
  it('systemErrorRate answers a signed SYSTEMERROR without creating the order; count limits it', async () => {
    emu.control.setFaults('unifiedorder', { systemErrorRate: 1, count: 1 });
    const input = orderInput();
    const failed = await unifiedorder(input);
    expect(() => parseUnifiedOrderResponse(failed.text, md5Merchant)).toThrowError(WxPayResultError);
    expect(failed.text).toContain('SYSTEMERROR');
    expect(emu.control.order(input.outTradeNo)).toBeUndefined();
    // the retry with identical parameters succeeds: count was 1
    expect(parseUnifiedOrderResponse((await unifiedorder(input)).text, md5Merchant).prepayId).toMatch(/^wx/);
  });

  it('corruptSignatureRate makes a v2 answer fail verification', async () => {
    emu.control.setFaults('unifiedorder', { corruptSignatureRate: 1 });
    const answer = await unifiedorder();
    expect(() => parseUnifiedOrderResponse(answer.text, md5Merchant)).toThrowError(WxPaySignatureError);
  });

  it('dropConnectionRate processes the request and loses the answer; the retry gets the same prepay_id', async () => {
    emu.control.setFaults('unifiedorder', { dropConnectionRate: 1, count: 1 });
    const input = orderInput();
    await expect(unifiedorder(input)).rejects.toThrow();
    const created = emu.control.order(input.outTradeNo);
    expect(created?.tradeState).toBe('NOTPAY');
    expect(parseUnifiedOrderResponse((await unifiedorder(input)).text, md5Merchant).prepayId).toBe(created?.prepayId);
  });

  it('httpStatus answers a gateway error without processing', async () => {
    emu.control.setFaults('orderquery', { httpStatus: 502, count: 2 });
    const query = () => post(`${emu.url}/pay/orderquery`, buildOrderQueryRequest({ outTradeNo: 'x1' }, md5Merchant, 'q').xml);
    expect((await query()).status).toBe(502);
    expect((await query()).status).toBe(502);
    expect((await query()).status).toBe(200);
  });

  it('latencyMs delays the answer (the request still succeeds)', async () => {
    emu.control.setFaults('unifiedorder', { latencyMs: 50, count: 1 });
    const answer = await unifiedorder();
    expect(parseUnifiedOrderResponse(answer.text, md5Merchant).prepayId).toMatch(/^wx/);
  });

  it('answerDelayMs processes the request first, then holds the answer', async () => {
    emu.control.setFaults('unifiedorder', { answerDelayMs: 300, count: 1 });
    const before = emu.control.orders().length;
    const pending = unifiedorder();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Already in the ledger while the client still waits for its answer.
    expect(emu.control.orders()).toHaveLength(before + 1);
    expect(parseUnifiedOrderResponse((await pending).text, md5Merchant).prepayId).toMatch(/^wx/);
  });

  it('govSync: SYSTEM_ERROR 500 and corrupted Wechatpay-Signature', async () => {
    const body = JSON.stringify({ out_trade_no: 'x' });
    const send = () =>
      fetch(`${emu.url}${GOV_SUBSIDY_SYNC_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: buildV3Authorization({ method: 'POST', pathWithQuery: GOV_SUBSIDY_SYNC_PATH, body, mchId: devMerchant.mchId, serialNo: devMerchant.merchantSerialNo, privateKey: testKeys.merchant.privateKey, timestampSeconds: Math.floor(Date.now() / 1000), nonce: `n${Math.random()}` }),
        },
        body,
      });
    emu.control.setFaults('govSync', { systemErrorRate: 1, count: 1 });
    const failed = await send();
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ code: 'SYSTEM_ERROR' });
    emu.control.setFaults('govSync', { corruptSignatureRate: 1, count: 1 });
    const corrupted = await send();
    const text = await corrupted.text();
    expect(() =>
      verifyV3Response({
        headers: { timestamp: corrupted.headers.get('wechatpay-timestamp'), nonce: corrupted.headers.get('wechatpay-nonce'), signature: corrupted.headers.get('wechatpay-signature'), serial: corrupted.headers.get('wechatpay-serial') },
        body: text,
        publicKeys: testPlatformPublicKeys,
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
    ).toThrowError(expect.objectContaining({ code: 'SIGN_INVALID' }) as Error);
  });

  it('refuses an invalid fault spec and clears faults', () => {
    expect(() => emu.control.setFaults('report', { systemErrorRate: 2 })).toThrow();
    emu.control.setFaults('report', { systemErrorRate: 1 });
    emu.control.clearFaults();
    emu.control.setFaults('closeorder', { httpStatus: 503 });
    emu.control.clearFaults('closeorder');
  });
});
