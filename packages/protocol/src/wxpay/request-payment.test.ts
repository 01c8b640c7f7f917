import { describe, expect, it } from 'vitest';
import { codeOf } from '../testing/caught-error';
import vectors from '../testing/official-vectors.json';
import { buildRequestPayment, verifyRequestPayment } from './request-payment';
import { signV2, type SignType } from './v2-sign';

const v = vectors.requestPayment;
const prepayId = v.params.package.slice('prepay_id='.length);
const input = (signType: SignType) => ({
  appId: v.params.appId,
  prepayId,
  signType,
  apiKey: v.key,
  timestampSeconds: Number(v.params.timeStamp),
  nonceStr: v.params.nonceStr,
});

describe('buildRequestPayment', () => {
  it('matches the official MD5 and HMAC-SHA256 paySign vectors', () => {
    expect(buildRequestPayment(input('MD5'))).toEqual({
      timeStamp: '1490840662',
      nonceStr: v.params.nonceStr,
      package: v.params.package,
      signType: 'MD5',
      paySign: v.MD5,
    });
    expect(buildRequestPayment(input('HMAC-SHA256')).paySign).toBe(v['HMAC-SHA256']);
  });

  it('timeStamp is a string of seconds; milliseconds and fractions are refused', () => {
    expect(typeof buildRequestPayment(input('MD5')).timeStamp).toBe('string');
    expect(codeOf(() => buildRequestPayment({ ...input('MD5'), timestampSeconds: 1490840662000 }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildRequestPayment({ ...input('MD5'), timestampSeconds: 1490840662.5 }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildRequestPayment({ ...input('MD5'), timestampSeconds: Number.NaN }))).toBe('FIELD_INVALID');
  });

  it('paySign is not the unifiedorder sign', () => {
    const unifiedOrderSign = signV2({ appid: v.params.appId, prepay_id: prepayId, nonce_str: v.params.nonceStr }, v.key, 'MD5');
    expect(buildRequestPayment(input('MD5')).paySign).not.toBe(unifiedOrderSign);
  });

  it('refuses bad inputs', () => {
    expect(codeOf(() => buildRequestPayment({ ...input('MD5'), prepayId: '' }))).toBe('FIELD_MISSING');
    expect(codeOf(() => buildRequestPayment({ ...input('MD5'), nonceStr: 'x'.repeat(33) }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildRequestPayment({ ...input('MD5'), signType: 'md5' as SignType }))).toBe('FIELD_INVALID');
  });
});

describe('verifyRequestPayment', () => {
  const opts = { appId: v.params.appId, apiKey: v.key };

  it('accepts the official vectors for both sign types', () => {
    verifyRequestPayment({ ...v.params, signType: 'MD5', paySign: v.MD5 }, opts);
    verifyRequestPayment({ ...v.params, signType: 'HMAC-SHA256', paySign: v['HMAC-SHA256'] }, { ...opts, signType: 'HMAC-SHA256' });
  });

  it('refuses a numeric or millisecond timeStamp', () => {
    expect(codeOf(() => verifyRequestPayment({ ...v.params, timeStamp: 1490840662, signType: 'MD5', paySign: v.MD5 }, opts))).toBe('FIELD_INVALID');
    const ms = buildRequestPayment(input('MD5'));
    expect(codeOf(() => verifyRequestPayment({ ...ms, timeStamp: `${ms.timeStamp}000` }, opts))).toBe('FIELD_INVALID');
  });

  it('refuses a package without prepay_id=', () => {
    const p = buildRequestPayment(input('MD5'));
    expect(codeOf(() => verifyRequestPayment({ ...p, package: prepayId }, opts))).toBe('FIELD_INVALID');
    expect(codeOf(() => verifyRequestPayment({ ...p, package: 'prepay_id=' }, opts))).toBe('FIELD_INVALID');
  });

  it('refuses a signType that differs from the order or from the paySign length', () => {
    const md5 = buildRequestPayment(input('MD5'));
    expect(codeOf(() => verifyRequestPayment(md5, { ...opts, signType: 'HMAC-SHA256' }))).toBe('SIGN_TYPE_MISMATCH');
    expect(codeOf(() => verifyRequestPayment({ ...md5, signType: 'HMAC-SHA256' }, opts))).toBe('SIGN_TYPE_MISMATCH');
    expect(codeOf(() => verifyRequestPayment({ ...md5, signType: 'md5' }, opts))).toBe('FIELD_INVALID');
  });

  it('refuses the unifiedorder sign reused as paySign, another appId and a missing paySign', () => {
    const p = buildRequestPayment(input('MD5'));
    const reused = signV2({ appid: v.params.appId, prepay_id: prepayId, nonce_str: p.nonceStr }, v.key, 'MD5');
    expect(codeOf(() => verifyRequestPayment({ ...p, paySign: reused }, opts))).toBe('SIGN_INVALID');
    expect(codeOf(() => verifyRequestPayment(p, { ...opts, appId: 'wx0000000000000000' }))).toBe('SIGN_INVALID');
    expect(codeOf(() => verifyRequestPayment({ ...p, paySign: '' }, opts))).toBe('SIGN_MISSING');
    expect(codeOf(() => verifyRequestPayment({ ...p, paySign: undefined }, opts))).toBe('SIGN_MISSING');
  });
});
