import { Agent } from 'node:https';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant, devTls } from '@checkout/protocol/testing';
import { newOutTradeNo, startEmulator, type TestEmulator } from './testing/test-fixtures';

/*
 * Refunds started by the two published Node SDKs, loaded through their own CommonJS entry points,
 * against the emulator's HTTPS listener with the merchant API certificate, the way a shop uses them.
 */
const require = createRequire(import.meta.url);

type Fields = Record<string, string>;
interface TenpayPayment {
  urls: Record<string, string>;
  refund(params: Fields): Promise<Fields>;
}
type TenpayCtor = new (config: { appid: string; mchid: string; partnerKey: string; pfx: Buffer }) => TenpayPayment;
interface Urllib {
  httpsAgent: Agent;
}
interface WxAxiosV2 {
  v2: { secapi: { pay: { refund: { post(data: Fields, config: { security: boolean }): Promise<{ data: Fields }> } } } };
}
type WxAxiosCtor = new (config: Record<string, unknown>) => WxAxiosV2;

const Tenpay = require('tenpay') as TenpayCtor;
// tenpay's HTTP client; its module-level https agent is the one knob that carries a CA.
const urllib = require(require.resolve('urllib', { paths: [dirname(require.resolve('tenpay'))] })) as Urllib;
const Wechatpay = require('wechatpay-axios-plugin') as WxAxiosCtor;

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startEmulator({ refundMinIntervalMs: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

function paidOrder(totalFee: number): string {
  const { outTradeNo } = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee });
  emu.control.payOrder(outTradeNo);
  return outTradeNo;
}

describe('tenpay@2.1.18 (pfx + passphrase = mch_id)', () => {
  it('gets a refund accepted over mutual TLS', async () => {
    const original = urllib.httpsAgent;
    urllib.httpsAgent = new Agent({ ca: devTls.caCertPem });
    try {
      const payment = new Tenpay({ appid: devMerchant.appId, mchid: devMerchant.mchId, partnerKey: devMerchant.apiKey, pfx: devTls.merchantP12 });
      // tenpay keeps its endpoint URLs on the instance: point refund at the emulator.
      payment.urls.refund = `${emu.secureUrl}/secapi/pay/refund`;
      const outTradeNo = paidOrder(880);
      const answer = await payment.refund({ out_trade_no: outTradeNo, out_refund_no: 'TENPAY-R1', total_fee: '880', refund_fee: '300' });
      expect(answer).toMatchObject({ return_code: 'SUCCESS', result_code: 'SUCCESS', out_refund_no: 'TENPAY-R1', refund_fee: '300' });
      expect(emu.control.refunds(outTradeNo)).toEqual([expect.objectContaining({ outRefundNo: 'TENPAY-R1', refundFee: 300, refundId: answer.refund_id })]);
    } finally {
      urllib.httpsAgent = original;
    }
  });

  it('is refused without the certificate (the connection is closed)', async () => {
    const original = urllib.httpsAgent;
    urllib.httpsAgent = new Agent({ ca: devTls.caCertPem });
    try {
      const payment = new Tenpay({ appid: devMerchant.appId, mchid: devMerchant.mchId, partnerKey: devMerchant.apiKey, pfx: undefined as unknown as Buffer });
      payment.urls.refund = `${emu.secureUrl}/secapi/pay/refund`;
      const outTradeNo = paidOrder(100);
      await expect(payment.refund({ out_trade_no: outTradeNo, out_refund_no: 'TENPAY-R2', total_fee: '100', refund_fee: '100' })).rejects.toThrow();
      expect(emu.control.refunds()).toEqual([]);
    } finally {
      urllib.httpsAgent = original;
    }
  });
});

describe('wechatpay-axios-plugin@0.9.6 (merchant cert/key, security: true)', () => {
  it('gets a refund accepted over mutual TLS', async () => {
    const wxpay = new Wechatpay({
      mchid: devMerchant.mchId,
      serial: devMerchant.merchantSerialNo,
      privateKey: devMerchant.merchantPrivateKeyPem,
      certs: { [devMerchant.platformPublicKeyId]: devMerchant.platformPublicKeyPem },
      secret: devMerchant.apiKey,
      // Passed to https.Agent as TLS options by the plugin: `ca` trusts the emulator's dev CA.
      merchant: { cert: devTls.merchantCertPem, key: devTls.merchantKeyPem, ca: devTls.caCertPem },
      baseURL: `${emu.secureUrl}/`,
    });
    const outTradeNo = paidOrder(1200);
    const { data } = await wxpay.v2.secapi.pay.refund.post(
      { appid: devMerchant.appId, mch_id: devMerchant.mchId, out_trade_no: outTradeNo, out_refund_no: 'AXIOS-R1', total_fee: '1200', refund_fee: '1200', sign_type: 'HMAC-SHA256' },
      { security: true },
    );
    // The plugin has verified the answer's HMAC-SHA256 signature before resolving.
    expect(data).toMatchObject({ return_code: 'SUCCESS', result_code: 'SUCCESS', out_refund_no: 'AXIOS-R1', refund_fee: '1200' });
    expect(emu.control.refunds(outTradeNo)).toEqual([expect.objectContaining({ outRefundNo: 'AXIOS-R1', refundFee: 1200, signType: 'HMAC-SHA256' })]);
  });
});
