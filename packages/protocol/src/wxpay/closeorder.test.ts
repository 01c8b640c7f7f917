import { describe, expect, it } from 'vitest';
import { buildSignedV2Response, devMerchant } from '../testing';
import { buildCloseOrderRequest, parseCloseOrderResponse } from './closeorder';
import { WxPayResultError, WxPaySignatureError } from './errors';
import type { V2Merchant } from './merchant';
import { verifyV2 } from './v2-sign';
import { buildXml, parseXml } from './xml-codec';

const merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' };
const base = { return_code: 'SUCCESS', appid: devMerchant.appId, mch_id: devMerchant.mchId, nonce_str: 'x1', result_code: 'SUCCESS' };

describe('closeorder', () => {
  it('builds a signed request', () => {
    const { fields, xml } = buildCloseOrderRequest({ outTradeNo: 'T1' }, merchant, 'n0nce');
    expect(fields.out_trade_no).toBe('T1');
    expect(verifyV2(parseXml(xml), devMerchant.apiKey)).toBe('MD5');
  });

  it('returns on a verified SUCCESS', () => {
    expect(parseCloseOrderResponse(buildSignedV2Response(base, devMerchant.apiKey, 'MD5'), merchant)).toBeUndefined();
  });

  it.each(['ORDERPAID', 'ORDERCLOSED', 'SYSTEMERROR', 'ORDERNOTEXIST'])('%s → WxPayResultError with that errCode', (errCode) => {
    const xml = buildSignedV2Response({ ...base, result_code: 'FAIL', err_code: errCode, err_code_des: 'd' }, devMerchant.apiKey, 'MD5');
    let caught: unknown;
    try {
      parseCloseOrderResponse(xml, merchant);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WxPayResultError);
    expect((caught as WxPayResultError).errCode).toBe(errCode);
    expect((caught as WxPayResultError).retryable).toBe(errCode === 'SYSTEMERROR');
  });

  it('an unsigned SUCCESS is not a closed order', () => {
    expect(() => parseCloseOrderResponse(buildXml(base), merchant)).toThrow(WxPaySignatureError);
  });
});
