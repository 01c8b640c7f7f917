import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../testing/official-vectors.json';
import { WxPaySignatureError, WxPayValidationError } from './errors';
import { canonicalize, signV2, verifyV2, withSign, type SignType } from './v2-sign';
import { buildXml, parseXml } from './xml-codec';

const v = vectors.v2Sign;

function signatureError(fn: () => unknown): WxPaySignatureError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WxPaySignatureError);
    return err as WxPaySignatureError;
  }
  throw new Error('expected a WxPaySignatureError');
}

describe('official v2 vectors', () => {
  it('canonical string matches stringA', () => {
    expect(canonicalize(v.params)).toBe(v.stringA);
  });

  it('MD5 and HMAC-SHA256 signatures match the documentation', () => {
    expect(signV2(v.params, v.key, 'MD5')).toBe(v.MD5);
    expect(signV2(v.params, v.key, 'HMAC-SHA256')).toBe(v['HMAC-SHA256']);
  });

  it('verifies the documented signatures, inferring the algorithm from the length', () => {
    expect(verifyV2({ ...v.params, sign: v.MD5 }, v.key)).toBe('MD5');
    expect(verifyV2({ ...v.params, sign: v['HMAC-SHA256'] }, v.key)).toBe('HMAC-SHA256');
    expect(verifyV2(withSign({ ...v.params, sign_type: 'MD5' }, v.key, 'MD5'), v.key)).toBe('MD5');
  });

  it('a received sign_type is itself a signed field', () => {
    const fields = { ...v.params, sign_type: 'HMAC-SHA256', sign: v['HMAC-SHA256'] };
    expect(signatureError(() => verifyV2(fields, v.key)).code).toBe('SIGN_INVALID');
    expect(verifyV2(withSign({ ...v.params, sign_type: 'HMAC-SHA256' }, v.key, 'HMAC-SHA256'), v.key)).toBe('HMAC-SHA256');
  });
});

describe('canonicalize', () => {
  it('drops empty values and sign, keeps case-sensitive names in ASCII order', () => {
    expect(canonicalize({ b: '2', a: '1', sign: 'X', empty: '', B: '3', _z: '4', a_b: '5' })).toBe('B=3&_z=4&a=1&a_b=5&b=2');
  });

  it('does not URL-encode values', () => {
    expect(canonicalize({ body: 'a b&c=d', url: 'https://x/y?z' })).toBe('body=a b&c=d&url=https://x/y?z');
  });

  it('equals the plain filter/sort/join definition for any field map, small or large (property)', () => {
    const reference = (f: Record<string, string>): string =>
      Object.keys(f)
        .filter((k) => k !== 'sign' && f[k] !== '')
        .sort()
        .map((k) => `${k}=${f[k]}`)
        .join('&');
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 4 }), { maxKeys: 80 }), (f) => {
        expect(canonicalize(f)).toBe(reference(f));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses non-string values when building', () => {
    expect(() => canonicalize({ total_fee: 1 } as unknown as Record<string, string>)).toThrow(WxPayValidationError);
  });
});

describe('signV2', () => {
  it('refuses unknown sign types (lower-case md5 included) and a missing key', () => {
    expect(() => signV2(v.params, v.key, 'md5' as SignType)).toThrow(WxPayValidationError);
    expect(() => signV2(v.params, '', 'MD5')).toThrow(WxPayValidationError);
  });

  it('withSign adds sign and no sign_type', () => {
    const signed = withSign(v.params, v.key, 'HMAC-SHA256');
    expect(signed.sign).toBe(v['HMAC-SHA256']);
    expect(signed.sign_type).toBeUndefined();
  });
});

describe('verifyV2 rejections', () => {
  const md5Fields = { ...v.params, sign: v.MD5 };

  it('fails on a missing or empty sign', () => {
    expect(signatureError(() => verifyV2(v.params, v.key)).code).toBe('SIGN_MISSING');
    expect(signatureError(() => verifyV2({ ...v.params, sign: '' }, v.key)).code).toBe('SIGN_MISSING');
  });

  it('fails on a repeated sign (array) and on non-string values', () => {
    const repeated = { ...v.params, sign: [v.MD5, v.MD5] } as unknown as Record<string, string>;
    expect(signatureError(() => verifyV2(repeated, v.key)).message).toContain('repeated');
    const numeric = { ...md5Fields, total_fee: 1 } as unknown as Record<string, string>;
    expect(signatureError(() => verifyV2(numeric, v.key)).code).toBe('SIGN_INVALID');
    const nested = { ...md5Fields, body: { a: 'test' } } as unknown as Record<string, string>;
    expect(signatureError(() => verifyV2(nested, v.key)).code).toBe('SIGN_INVALID');
  });

  it('a repeated sign in XML never reaches verification', () => {
    expect(() => parseXml(`${buildXml(md5Fields).slice(0, -6)}<sign>${v.MD5}</sign></xml>`)).toThrow(/duplicate/);
  });

  it('fails on a sign of another length or not upper-case hex', () => {
    expect(signatureError(() => verifyV2({ ...v.params, sign: v.MD5.slice(1) }, v.key)).code).toBe('SIGN_INVALID');
    expect(signatureError(() => verifyV2({ ...v.params, sign: `${v.MD5}00` }, v.key)).code).toBe('SIGN_INVALID');
    expect(signatureError(() => verifyV2({ ...v.params, sign: v.MD5.toLowerCase() }, v.key)).code).toBe('SIGN_INVALID');
    expect(signatureError(() => verifyV2({ ...v.params, sign: 'Z'.repeat(32) }, v.key)).code).toBe('SIGN_INVALID');
  });

  it('fails when sign_type contradicts the sign length or is not an exact name', () => {
    expect(signatureError(() => verifyV2({ ...md5Fields, sign_type: 'HMAC-SHA256' }, v.key)).code).toBe('SIGN_TYPE_MISMATCH');
    const hmac = { ...v.params, sign: v['HMAC-SHA256'], sign_type: 'MD5' };
    expect(signatureError(() => verifyV2(hmac, v.key)).code).toBe('SIGN_TYPE_MISMATCH');
    expect(signatureError(() => verifyV2({ ...md5Fields, sign_type: 'md5' }, v.key)).code).toBe('SIGN_TYPE_MISMATCH');
  });

  it('fails with the wrong key, a changed value, an added or a removed field', () => {
    expect(signatureError(() => verifyV2(md5Fields, `${v.key.slice(0, -1)}0`)).code).toBe('SIGN_INVALID');
    expect(signatureError(() => verifyV2({ ...md5Fields, body: 'test2' }, v.key)).code).toBe('SIGN_INVALID');
    expect(signatureError(() => verifyV2({ ...md5Fields, coupon_fee: '1' }, v.key)).code).toBe('SIGN_INVALID');
    const { device_info: _removed, ...fewer } = md5Fields;
    expect(signatureError(() => verifyV2(fewer, v.key)).code).toBe('SIGN_INVALID');
  });

  it('never puts the expected signature in the error', () => {
    const tampered = { ...md5Fields, body: 'test2' };
    const expected = signV2(tampered, v.key, 'MD5');
    const err = signatureError(() => verifyV2(tampered, v.key));
    expect(err.message).not.toContain(expected);
    expect(JSON.stringify(err.raw)).not.toContain(expected);
    expect(err.message).not.toContain(v.key);
  });
});

const nameArb = fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/).filter((n) => n !== 'sign' && n !== 'sign_type');
const fieldsArb = fc.dictionary(nameArb, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), { minKeys: 1, maxKeys: 15 });
const signTypeArb = fc.constantFrom<SignType>('MD5', 'HMAC-SHA256');
const keyArb = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 32 });

describe('sign → verify (property)', () => {
  it('verifies whatever it signed, through the XML codec too', () => {
    fc.assert(
      fc.property(fieldsArb, signTypeArb, keyArb, (fields, signType, key) => {
        const signed = withSign(fields, key, signType);
        expect(verifyV2(signed, key)).toBe(signType);
        expect(verifyV2(parseXml(buildXml(signed)), key)).toBe(signType);
      }),
      { numRuns: 300 },
    );
  });

  it('fails after any change to a signed field', () => {
    fc.assert(
      fc.property(fieldsArb, signTypeArb, keyArb, fc.nat(), fc.string({ minLength: 1, maxLength: 5 }), (fields, signType, key, pick, extra) => {
        const signed = withSign(fields, key, signType);
        const names = Object.keys(fields);
        const name = names[pick % names.length] ?? '';
        const changed = { ...signed, [name]: `${signed[name] ?? ''}${extra}` };
        expect(() => verifyV2(changed, key)).toThrow(WxPaySignatureError);
      }),
      { numRuns: 300 },
    );
  });

  it('fails after a non-empty field is added', () => {
    fc.assert(
      fc.property(fieldsArb, signTypeArb, keyArb, nameArb, fc.string({ minLength: 1, maxLength: 5 }), (fields, signType, key, name, value) => {
        fc.pre(!(name in fields));
        const signed = withSign(fields, key, signType);
        expect(() => verifyV2({ ...signed, [name]: value }, key)).toThrow(WxPaySignatureError);
      }),
      { numRuns: 300 },
    );
  });
});
