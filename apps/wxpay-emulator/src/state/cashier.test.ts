import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant, officialVectors } from '@checkout/protocol/testing';
import { buildRequestPayment, buildUnifiedOrderRequest, parseUnifiedOrderResponse, type SignType } from '@checkout/protocol/wxpay';
import type { CashierParams } from '../emulator-types';
import { PREPAY_TTL_MS } from './order-lifecycle';
import { md5Merchant, hmacMerchant, orderInput, post, startEmulator, type TestEmulator } from '../testing/test-fixtures';

const vector = officialVectors.requestPayment;
const vectorMerchant = { appId: vector.params.appId, mchId: '1230000109', apiKey: vector.key, merchantName: '官方示例商户' };
const vectorPrepayId = vector.params.package.slice('prepay_id='.length);

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startEmulator({ merchants: [devMerchant, vectorMerchant] });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

function vectorParams(signType: SignType): CashierParams {
  return { ...vector.params, signType, paySign: vector[signType] };
}

function seedVectorOrder(signType: SignType): void {
  emu.control.seedOrder({ mchId: vectorMerchant.mchId, outTradeNo: `V${signType.replace('-', '')}`, totalFee: 1, prepayId: vectorPrepayId, signType });
}

async function newOrderParams(signType: SignType = 'MD5'): Promise<{ params: CashierParams; outTradeNo: string }> {
  const merchant = signType === 'MD5' ? md5Merchant : hmacMerchant;
  const input = orderInput();
  const answer = await post(`${emu.url}/pay/unifiedorder`, buildUnifiedOrderRequest(input, merchant, 'n').xml);
  const { prepayId } = parseUnifiedOrderResponse(answer.text, merchant);
  const pay = buildRequestPayment({ appId: devMerchant.appId, prepayId, signType, apiKey: devMerchant.apiKey, timestampSeconds: Math.floor(emu.control.now().getTime() / 1000), nonceStr: 'cashiernonce' });
  return { params: { appId: devMerchant.appId, ...pay }, outTradeNo: input.outTradeNo };
}

async function confirm(body: unknown): Promise<{ status: number; json: { errMsg: string; code?: string; detail?: string } }> {
  const response = await fetch(`${emu.url}/cashier/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { errMsg: string; code?: string } };
}

describe('cashier paySign checks pinned by the official requestPayment vectors', () => {
  it.each(['MD5', 'HMAC-SHA256'] as const)('accepts the official %s paySign and pays the order', async (signType) => {
    seedVectorOrder(signType);
    expect(await emu.control.cashier(vectorParams(signType), 'pay')).toEqual({ errMsg: 'requestPayment:ok' });
    expect(emu.control.order(`V${signType.replace('-', '')}`)?.tradeState).toBe('SUCCESS');
  });

  it.each(['MD5', 'HMAC-SHA256'] as const)('refuses the official %s vector with one changed field', async (signType) => {
    seedVectorOrder(signType);
    for (const change of [{ nonceStr: `${vector.params.nonceStr.slice(0, -1)}X` }, { timeStamp: '1490840663' }, { paySign: vector[signType].toLowerCase() }]) {
      const result = await emu.control.cashier({ ...vectorParams(signType), ...change }, 'pay');
      expect(result.errMsg).toBe('requestPayment:fail 支付验证签名失败');
      expect(result.code).toBe('PAY_SIGN_INVALID');
    }
    expect(emu.control.order(`V${signType.replace('-', '')}`)?.tradeState).toBe('NOTPAY');
  });

  it('refuses a signType that differs from the order sign type (the vector MD5 sign on an HMAC order)', async () => {
    seedVectorOrder('HMAC-SHA256');
    const result = await emu.control.cashier(vectorParams('MD5'), 'pay');
    expect(result).toMatchObject({ errMsg: 'requestPayment:fail 支付验证签名失败', code: 'SIGN_TYPE_MISMATCH' });
  });

  it('refuses the vector for another appId (paySign signed for a different app)', async () => {
    seedVectorOrder('MD5');
    const result = await emu.control.cashier({ ...vectorParams('MD5'), appId: devMerchant.appId }, 'pay');
    expect(result.code).toBe('PAY_SIGN_INVALID');
  });
});

describe('cashier outcomes and client-side checks', () => {
  it('pays, cancels (stays NOTPAY) and fails (PAYERROR), and refuses a second payment', async () => {
    const cancel = await newOrderParams();
    expect(await emu.control.cashier(cancel.params, 'cancel')).toEqual({ errMsg: 'requestPayment:fail cancel' });
    expect(emu.control.order(cancel.outTradeNo)?.tradeState).toBe('NOTPAY');
    expect((await emu.control.cashier(cancel.params, 'fail')).errMsg).toMatch(/^requestPayment:fail /);
    expect(emu.control.order(cancel.outTradeNo)?.tradeState).toBe('PAYERROR');
    expect(await emu.control.cashier(cancel.params, 'pay')).toEqual({ errMsg: 'requestPayment:ok' });
    expect(emu.control.order(cancel.outTradeNo)?.tradeState).toBe('SUCCESS');
    expect(await emu.control.cashier(cancel.params, 'pay')).toMatchObject({ code: 'ORDERPAID' });
  });

  it('refuses an expired prepay_id after 2 hours', async () => {
    const { params } = await newOrderParams('HMAC-SHA256');
    emu.control.advanceClock(PREPAY_TTL_MS);
    expect(await emu.control.cashier(params, 'pay')).toMatchObject({ code: 'PREPAY_EXPIRED', errMsg: 'requestPayment:fail prepay_id已失效' });
  });

  it('refuses an unknown prepay_id, a reused unifiedorder sign and a millisecond timeStamp', async () => {
    const { params } = await newOrderParams();
    const unknown = buildRequestPayment({ appId: devMerchant.appId, prepayId: 'wx000', signType: 'MD5', apiKey: devMerchant.apiKey, timestampSeconds: 1_700_000_000, nonceStr: 'n' });
    expect(await emu.control.cashier({ appId: devMerchant.appId, ...unknown }, 'pay')).toMatchObject({ code: 'PREPAY_NOT_FOUND' });
    expect(await emu.control.cashier({ ...params, timeStamp: `${params.timeStamp}000` }, 'pay')).toMatchObject({ code: 'TIMESTAMP_INVALID' });
    expect(await emu.control.cashier({ ...params, paySign: 'C380BEC2BFD727A4B6845133519F3AD6' }, 'pay')).toMatchObject({ code: 'PAY_SIGN_INVALID' });
  });

  it('POST /cashier/confirm answers 200 on success and 400 with errMsg on a numeric timeStamp, a bad paySign or a bad action', async () => {
    const { params, outTradeNo } = await newOrderParams();
    const numeric = await confirm({ ...params, timeStamp: Number(params.timeStamp), action: 'pay' });
    expect(numeric.status).toBe(400);
    expect(numeric.json.errMsg).toBe('requestPayment:fail parameter error: parameter.timeStamp should be String instead of Number;');
    const badSign = await confirm({ ...params, paySign: '0'.repeat(32), action: 'pay' });
    expect(badSign).toMatchObject({ status: 400, json: { code: 'PAY_SIGN_INVALID' } });
    expect((await confirm({ ...params, action: 'steal' })).status).toBe(400);
    const bad = await fetch(`${emu.url}/cashier/confirm`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect(await confirm({ ...params, action: 'pay' })).toEqual({ status: 200, json: { errMsg: 'requestPayment:ok' } });
    expect(emu.control.order(outTradeNo)?.tradeState).toBe('SUCCESS');
  });

  it('GET /cashier renders the order with three choices; the form redirects back with errMsg', async () => {
    const { params, outTradeNo } = await newOrderParams();
    const query = new URLSearchParams({ ...params, redirect: 'http://127.0.0.1:1/pages/result?id=7' });
    const page = await fetch(`${emu.url}/cashier?${query.toString()}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('¥19.99');
    expect(html).toContain('data-testid="pay"');
    expect(html).toContain('模拟失败');
    // A Chinese page words the state in Chinese; the wire value stays visible for developers.
    expect(html).toMatch(/data-testid="state">待支付 <small>\(NOTPAY\)<\/small>/);
    const form = new URLSearchParams({ ...params, redirect: 'http://127.0.0.1:1/pages/result?id=7', action: 'cancel' });
    const submit = await fetch(`${emu.url}/cashier/submit`, { method: 'POST', body: form, redirect: 'manual' });
    expect(submit.status).toBe(303);
    const location = new URL(submit.headers.get('location') ?? '');
    expect(location.searchParams.get('errMsg')).toBe('requestPayment:fail cancel');
    expect(location.searchParams.get('id')).toBe('7');
    form.set('action', 'pay');
    const paid = await fetch(`${emu.url}/cashier/submit`, { method: 'POST', body: form, redirect: 'manual' });
    expect(new URL(paid.headers.get('location') ?? '').searchParams.get('errMsg')).toBe('requestPayment:ok');
    expect(emu.control.order(outTradeNo)?.tradeState).toBe('SUCCESS');
  });

  it('GET /cashier with a bad paySign shows the refusal (400) and escapes what it echoes', async () => {
    const { params } = await newOrderParams();
    const query = new URLSearchParams({ ...params, paySign: '<script>x</script>', redirect: 'javascript:alert(1)' });
    const page = await fetch(`${emu.url}/cashier?${query.toString()}`);
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('requestPayment:fail');
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('javascript:');
  });
});

describe('one mini-program bound to two merchants', () => {
  it('checks paySign with the key of the merchant that holds the order', async () => {
    const second = { appId: devMerchant.appId, appSecret: devMerchant.appSecret, mchId: '1900000666', apiKey: 'secondkey000000000000000000000001' };
    const shared = await startEmulator({ merchants: [devMerchant, second] });
    try {
      const merchant = { appId: second.appId, mchId: second.mchId, apiKey: second.apiKey, signType: 'MD5' as const };
      const answer = await post(`${shared.url}/pay/unifiedorder`, buildUnifiedOrderRequest(orderInput(), merchant, 'n').xml);
      const { prepayId } = parseUnifiedOrderResponse(answer.text, merchant);
      const pay = buildRequestPayment({ appId: second.appId, prepayId, signType: 'MD5', apiKey: second.apiKey, timestampSeconds: 1_800_000_000, nonceStr: 'n' });
      expect(await shared.control.cashier({ appId: second.appId, ...pay }, 'pay')).toEqual({ errMsg: 'requestPayment:ok' });
    } finally {
      await shared.close();
    }
  });
});
