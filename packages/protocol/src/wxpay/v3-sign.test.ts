import { execFileSync } from 'node:child_process';
import { verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasOpenssl } from '../testing/has-openssl';
import { codeOf } from '../testing/caught-error';
import { devMerchant } from '../testing/dev-merchant';
import { testKeys } from '../testing/test-keys';
import { buildV3Authorization, parseV3Authorization, signV3Message, verifyV3Request, type V3AuthorizationInput } from './v3-sign';

const body = '{"out_trade_no":"T1","order_amount":10000}';
const input: V3AuthorizationInput = {
  method: 'POST',
  pathWithQuery: '/v3/gov/subsidy/transactions/sync',
  body,
  mchId: devMerchant.mchId,
  serialNo: testKeys.merchantSerialNo,
  privateKey: testKeys.merchant.privateKey,
  timestampSeconds: 1764057600,
  nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
};
const signedMessage = `POST\n/v3/gov/subsidy/transactions/sync\n1764057600\n593BEC0C930BF1AFEB40B4A08C8FB242\n${body}\n`;
/**
 * RSASSA-PKCS1-v1_5 is deterministic, so this pins our output: computed once with
 * `printf '<signedMessage>' | openssl dgst -sha256 -sign keys/merchant-private.pem | base64 -w0`.
 */
const opensslSignature =
  'BL5J3mhyGFqosoIzz9FKqITKcWLbXeHeOof32Q2LizIBAgmg6UGBncw+GHG1FVEp0ehkRE6yn+TxdX/hAAiMHWvUTaaOQjWos2mmXw6UMccVMVLWlGJCTKkIWuNguUuOiE0ARizIciINvanpjiX+BpgU1P5TNtpqJtQ5n24jFq+U2BbYN8c2fH6GnXjPlCyq44cWA2gvgu+oYDj3UM4YNxy24H9ojefOGXhHt/K4MaiFhq4Oyr7Rkll9DE/AgzdiBhIVXMaKD07jC/TsuIvFq0mW33vlQOkGt+e3E5FuZ6hhYOCsI4D0uQ40jBnIjIVot27aW/PkuMdNYFfK0Sourw==';

describe('buildV3Authorization', () => {
  const header = buildV3Authorization(input);

  it('has the WECHATPAY2-SHA256-RSA2048 shape with every parameter', () => {
    expect(header).toBe(
      `WECHATPAY2-SHA256-RSA2048 mchid="${devMerchant.mchId}",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",` +
        `signature="${opensslSignature}",timestamp="1764057600",serial_no="${testKeys.merchantSerialNo}"`,
    );
  });

  it('signs METHOD\\nPATH\\nts\\nnonce\\nbody\\n (checked with node:crypto directly, not our verifier)', () => {
    const signature = parseV3Authorization(header).signature;
    expect(verify('sha256', Buffer.from(signedMessage, 'utf8'), testKeys.merchant.publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    // Same key, message without the trailing newline: must not verify, so the test can tell.
    expect(verify('sha256', Buffer.from(signedMessage.slice(0, -1)), testKeys.merchant.publicKey, Buffer.from(signature, 'base64'))).toBe(false);
  });

  it.skipIf(!hasOpenssl())('verifies with openssl dgst -sha256 -verify', () => {
    const dir = mkdtempSync(join(tmpdir(), 'v3-sign-'));
    try {
      writeFileSync(join(dir, 'msg'), signedMessage);
      writeFileSync(join(dir, 'sig'), Buffer.from(parseV3Authorization(header).signature, 'base64'));
      writeFileSync(join(dir, 'pub.pem'), devMerchant.merchantPublicKeyPem);
      const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig'), join(dir, 'msg')], {
        encoding: 'utf8',
      });
      expect(out.trim()).toBe('Verified OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs the raw bytes of a Buffer body exactly as a string body', () => {
    expect(buildV3Authorization({ ...input, body: Buffer.from(body, 'utf8') })).toBe(header);
    expect(buildV3Authorization({ ...input, privateKey: devMerchant.merchantPrivateKeyPem })).toBe(header);
  });

  it('refuses values that would break the header or the signed message', () => {
    expect(codeOf(() => buildV3Authorization({ ...input, nonce: 'a"b' }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildV3Authorization({ ...input, nonce: 'a\nb' }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildV3Authorization({ ...input, nonce: '' }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildV3Authorization({ ...input, serialNo: 'x,y' }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildV3Authorization({ ...input, pathWithQuery: 'https://api.mch.weixin.qq.com/v3/x' }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildV3Authorization({ ...input, method: 'post' }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildV3Authorization({ ...input, timestampSeconds: 1764057600.5 }))).toBe('FIELD_INVALID');
    expect(codeOf(() => buildV3Authorization({ ...input, privateKey: testKeys.merchant.publicKey }))).toBe('FIELD_INVALID');
  });
});

describe('parseV3Authorization', () => {
  const header = buildV3Authorization(input);

  it('returns the parameters, in any order', () => {
    const parsed = parseV3Authorization(header);
    expect(parsed).toEqual({
      mchId: devMerchant.mchId,
      nonce: input.nonce,
      signature: opensslSignature,
      timestampSeconds: 1764057600,
      serialNo: testKeys.merchantSerialNo,
    });
    const reordered = `WECHATPAY2-SHA256-RSA2048 serial_no="S1", timestamp="1", signature="c2ln", nonce_str="n", mchid="1900000109"`;
    expect(parseV3Authorization(reordered)).toEqual({ mchId: '1900000109', nonce: 'n', signature: 'c2ln', timestampSeconds: 1, serialNo: 'S1' });
  });

  it.each([
    ['missing', undefined, 'SIGN_MISSING'],
    ['empty', '', 'SIGN_MISSING'],
    ['another scheme', header.replace('WECHATPAY2-SHA256-RSA2048', 'Bearer'), 'SIGN_INVALID'],
    ['a repeated parameter', `${header},mchid="1"`, 'SIGN_INVALID'],
    ['an unknown parameter', `${header},extra="1"`, 'SIGN_INVALID'],
    ['a missing parameter', header.replace(/,serial_no="[^"]*"/, ''), 'SIGN_INVALID'],
    ['an empty parameter', header.replace(/mchid="[^"]*"/, 'mchid=""'), 'SIGN_INVALID'],
    ['an unquoted value', header.replace(/timestamp="(\d+)"/, 'timestamp=$1'), 'SIGN_INVALID'],
    ['a non-numeric timestamp', header.replace(/timestamp="\d+"/, 'timestamp="1e9"'), 'SIGN_INVALID'],
    ['a zero-padded timestamp', header.replace(/timestamp="(\d+)"/, 'timestamp="0$1"'), 'SIGN_INVALID'],
  ])('refuses %s', (_name, value, code) => {
    expect(codeOf(() => parseV3Authorization(value))).toBe(code);
  });
});

describe('verifyV3Request', () => {
  const authorization = buildV3Authorization(input);
  const base = {
    method: 'POST',
    pathWithQuery: input.pathWithQuery,
    body,
    authorization,
    publicKey: testKeys.merchant.publicKey,
    nowSeconds: input.timestampSeconds,
  };

  it('accepts the signed request and returns who signed it', () => {
    expect(verifyV3Request(base)).toMatchObject({ mchId: devMerchant.mchId, serialNo: testKeys.merchantSerialNo });
    expect(verifyV3Request({ ...base, body: Buffer.from(body), publicKey: devMerchant.merchantPublicKeyPem })).toMatchObject({ nonce: input.nonce });
  });

  it('accepts a request whose signature openssl made', () => {
    const foreign = authorization.replace(/signature="[^"]*"/, `signature="${opensslSignature}"`);
    expect(() => verifyV3Request({ ...base, authorization: foreign })).not.toThrow();
  });

  it.each([
    ['body', { body: body.replace('10000', '10001') }],
    ['body with a trailing newline', { body: `${body}\n` }],
    ['method', { method: 'PUT' }],
    ['path', { pathWithQuery: `${input.pathWithQuery}?x=1` }],
    ['timestamp', { authorization: authorization.replace('timestamp="1764057600"', 'timestamp="1764057601"') }],
    ['nonce', { authorization: authorization.replace(input.nonce, `${input.nonce.slice(0, -1)}3`) }],
    ['signature', { authorization: authorization.replace(/signature="[A-Za-z0-9+/]/, 'signature="A') }],
  ])('fails when the %s is tampered with', (_name, change) => {
    expect(codeOf(() => verifyV3Request({ ...base, ...change }))).toBe('SIGN_INVALID');
  });

  it('fails with another key', () => {
    expect(codeOf(() => verifyV3Request({ ...base, publicKey: testKeys.platform.publicKey }))).toBe('SIGN_INVALID');
  });

  it('accepts 300 s of clock skew either way and refuses 301', () => {
    expect(codeOf(() => verifyV3Request({ ...base, nowSeconds: input.timestampSeconds + 300 }))).toBe('NO_ERROR');
    expect(codeOf(() => verifyV3Request({ ...base, nowSeconds: input.timestampSeconds - 300 }))).toBe('NO_ERROR');
    expect(codeOf(() => verifyV3Request({ ...base, nowSeconds: input.timestampSeconds + 301 }))).toBe('SIGN_TIMESTAMP_SKEW');
    expect(codeOf(() => verifyV3Request({ ...base, nowSeconds: input.timestampSeconds - 301 }))).toBe('SIGN_TIMESTAMP_SKEW');
  });

  it('fails closed when the clock or the skew option is not a number', () => {
    expect(codeOf(() => verifyV3Request({ ...base, nowSeconds: Number.NaN }))).toBe('SIGN_TIMESTAMP_SKEW');
    expect(codeOf(() => verifyV3Request({ ...base, maxSkewSeconds: Number.NaN }))).toBe('SIGN_TIMESTAMP_SKEW');
  });

  it('fails on a missing Authorization header', () => {
    expect(codeOf(() => verifyV3Request({ ...base, authorization: undefined }))).toBe('SIGN_MISSING');
  });
});

describe('signV3Message', () => {
  it('signs timestamp\\nnonce\\nbody\\n (checked with node:crypto directly)', () => {
    const responseBody = '{"code":"SUCCESS","message":"成功"}';
    const signature = signV3Message({ timestampSeconds: 1764057600, nonce: 'c5ac7061fccab6bf3e254dcf98995b8c', body: responseBody, privateKey: testKeys.platform.privateKey });
    const message = Buffer.from(`1764057600\nc5ac7061fccab6bf3e254dcf98995b8c\n${responseBody}\n`, 'utf8');
    expect(verify('sha256', message, testKeys.platform.publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    // Pinned with `openssl dgst -sha256 -sign keys/platform-private.pem`.
    expect(signature).toBe(
      'hsxG0jc4b2ImgNVtFHKRRBHfI81lrFextnlmhEedIdZHc9s3pqMDlaZF+eEZeEup6/0oOWs09odAVX9SiCFt3bpAB4SPOfZDE5Cn2nFFeTAJDxPorfhW+zqZmifvNlqSqxdOZ4hM5GVwRfbrE9SvSHIXuIaEyw/MN7eH7MAwLMtpBiLVwsGMI8AY+DYtJTOdwNeEo6re1t0aULULxnY7O+8vIjZAishQW65HFtzmQd9BqrDnz8EB1ww0eH5/tHr+p2L6N+pK7e5hRgrsL+f/ca5+5cW/K7eqpiWK7XPpeV1lKYbRKhu2Eco+Q3OPUtOyGJM9GxF3WPD0HVJq6rbqzA==',
    );
  });
});
