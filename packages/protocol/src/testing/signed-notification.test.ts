import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyV2 } from '../wxpay/v2-sign';
import { parseXml } from '../wxpay/xml-codec';
import { devMerchant } from './dev-merchant';
import { officialVectors } from './official-vectors';
import { buildSignedNotification } from './signed-notification';
import { buildSignedV2Response } from './signed-v2-response';

const apiKey = devMerchant.apiKey;

/** v2 signature computed here from the protocol rules, independently of v2-sign.ts. */
function expectedSign(fields: Readonly<Record<string, string>>, key: string, signType: 'MD5' | 'HMAC-SHA256'): string {
  const names = Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const stringSignTemp = `${names.map((name) => `${name}=${fields[name]}`).join('&')}&key=${key}`;
  const digest = signType === 'MD5' ? createHash('md5').update(stringSignTemp, 'utf8') : createHmac('sha256', key).update(stringSignTemp, 'utf8');
  return digest.digest('hex').toUpperCase();
}

describe('buildSignedNotification', () => {
  it.each(['MD5', 'HMAC-SHA256'] as const)('builds a realistic SUCCESS notification signed with %s', (signType) => {
    const fields = parseXml(buildSignedNotification({}, { apiKey, signType }));
    expect(fields).toMatchObject({
      return_code: 'SUCCESS',
      result_code: 'SUCCESS',
      appid: devMerchant.appId,
      mch_id: devMerchant.mchId,
      trade_type: 'JSAPI',
      total_fee: '9900',
      cash_fee: '9900',
      fee_type: 'CNY',
      sign_type: signType,
    });
    expect(fields.transaction_id).toMatch(/^\d{28}$/);
    expect(fields.time_end).toMatch(/^\d{14}$/);
    expect(fields.sign).toBe(expectedSign(fields, apiKey, signType));
    expect(verifyV2(fields, apiKey)).toBe(signType);
  });

  it('omits sign_type on request; the algorithm is then only in the sign length', () => {
    const fields = parseXml(buildSignedNotification({}, { apiKey, signType: 'HMAC-SHA256', omitSignType: true }));
    expect(fields.sign_type).toBeUndefined();
    expect(fields.sign).toHaveLength(64);
    expect(fields.sign).toBe(expectedSign(fields, apiKey, 'HMAC-SHA256'));
  });

  it('applies overrides, removes fields given undefined and signs unknown extension fields', () => {
    const xml = buildSignedNotification(
      { out_trade_no: 'ORDER42', total_fee: '1234', openid: undefined, attach: 'a&b<c>', x_extension: 'kept' },
      { apiKey, signType: 'MD5' },
    );
    const fields = parseXml(xml);
    expect(fields).toMatchObject({ out_trade_no: 'ORDER42', total_fee: '1234', cash_fee: '1234', attach: 'a&b<c>', x_extension: 'kept' });
    expect(fields.openid).toBeUndefined();
    expect(fields.sign).toBe(expectedSign(fields, apiKey, 'MD5'));
    expect(fields.sign).not.toBe(expectedSign({ ...fields, x_extension: '' }, apiKey, 'MD5'));
  });

  it('carries a deliberately malformed total_fee into cash_fee instead of inventing a number', () => {
    const fields = parseXml(buildSignedNotification({ total_fee: '99.00' }, { apiKey, signType: 'MD5' }));
    expect(fields).toMatchObject({ total_fee: '99.00', cash_fee: '99.00' });
    expect(fields.sign).toBe(expectedSign(fields, apiKey, 'MD5'));
  });

  it('can describe a failed payment', () => {
    const fields = parseXml(buildSignedNotification({ result_code: 'FAIL', err_code: 'NOTENOUGH', err_code_des: '余额不足' }, { apiKey, signType: 'MD5' }));
    expect(fields).toMatchObject({ return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'NOTENOUGH' });
    expect(verifyV2(fields, apiKey)).toBe('MD5');
  });

  it('adds coupon fields: cash_fee and settlement_total_fee follow the coupons', () => {
    const fields = parseXml(
      buildSignedNotification(
        { total_fee: '10000' },
        { apiKey, signType: 'HMAC-SHA256', coupons: [{ id: '10001', type: 'NO_CASH', fee: 500 }, { id: '10002', type: 'CASH', fee: 300 }, { id: '10003', fee: 200 }] },
      ),
    );
    expect(fields).toMatchObject({
      total_fee: '10000',
      coupon_fee: '1000',
      coupon_count: '3',
      cash_fee: '9000',
      settlement_total_fee: '9500',
      coupon_id_0: '10001',
      coupon_type_0: 'NO_CASH',
      coupon_fee_0: '500',
      coupon_id_1: '10002',
      coupon_type_1: 'CASH',
      coupon_fee_1: '300',
      coupon_id_2: '10003',
      coupon_fee_2: '200',
    });
    expect(fields.coupon_type_2).toBeUndefined();
    expect(fields.sign).toBe(expectedSign(fields, apiKey, 'HMAC-SHA256'));
  });
});

describe('buildSignedV2Response', () => {
  it.each(['MD5', 'HMAC-SHA256'] as const)('reproduces the official %s signature vector', (signType) => {
    const { params, key } = officialVectors.v2Sign;
    const fields = parseXml(buildSignedV2Response(params, key, signType));
    expect(fields.sign).toBe(officialVectors.v2Sign[signType]);
    expect(fields.sign_type).toBeUndefined();
  });

  it('signs sign_type when the caller includes it', () => {
    const xml = buildSignedV2Response({ return_code: 'SUCCESS', result_code: 'SUCCESS', prepay_id: 'wx1', sign_type: 'HMAC-SHA256' }, apiKey, 'HMAC-SHA256');
    const fields = parseXml(xml);
    expect(fields.sign).toBe(expectedSign(fields, apiKey, 'HMAC-SHA256'));
  });
});
