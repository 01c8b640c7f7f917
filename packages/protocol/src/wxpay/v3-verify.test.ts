import { sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../testing/caught-error';
import { buildSignedV3Response } from '../testing/signed-v3-response';
import { testKeys, testPlatformPublicKeys } from '../testing/test-keys';
import { WxPayError } from './errors';
import { verifyV3Response, type V3ResponseHeaders, type VerifyV3ResponseInput } from './v3-verify';

const ts = 1764057600;
const nonce = 'c5ac7061fccab6bf3e254dcf98995b8c';
const body = '{"code":"SUCCESS","message":"成功"}';
/** Made with `openssl dgst -sha256 -sign keys/platform-private.pem` over `ts\nnonce\nbody\n`. */
const opensslSignature =
  'hsxG0jc4b2ImgNVtFHKRRBHfI81lrFextnlmhEedIdZHc9s3pqMDlaZF+eEZeEup6/0oOWs09odAVX9SiCFt3bpAB4SPOfZDE5Cn2nFFeTAJDxPorfhW+zqZmifvNlqSqxdOZ4hM5GVwRfbrE9SvSHIXuIaEyw/MN7eH7MAwLMtpBiLVwsGMI8AY+DYtJTOdwNeEo6re1t0aULULxnY7O+8vIjZAishQW65HFtzmQd9BqrDnz8EB1ww0eH5/tHr+p2L6N+pK7e5hRgrsL+f/ca5+5cW/K7eqpiWK7XPpeV1lKYbRKhu2Eco+Q3OPUtOyGJM9GxF3WPD0HVJq6rbqzA==';

const headers: V3ResponseHeaders = { timestamp: String(ts), nonce, signature: opensslSignature, serial: testKeys.platformPublicKeyId };
const base: VerifyV3ResponseInput = { headers, body, publicKeys: testPlatformPublicKeys, nowSeconds: ts };
const withHeaders = (change: Partial<V3ResponseHeaders>): VerifyV3ResponseInput => ({ ...base, headers: { ...headers, ...change } });

describe('verifyV3Response', () => {
  it('accepts a response signed by openssl with the PUB_KEY_ID_ key', () => {
    expect(codeOf(() => verifyV3Response(base))).toBe('NO_ERROR');
    expect(codeOf(() => verifyV3Response({ ...base, body: Buffer.from(body, 'utf8') }))).toBe('NO_ERROR');
  });

  it('round-trips with buildSignedV3Response', () => {
    const signed = buildSignedV3Response(
      { code: 'SUCCESS', message: 'ok' },
      { privateKey: testKeys.platform.privateKey, serial: testKeys.platformPublicKeyId, timestampSeconds: ts, nonce: 'n1' },
    );
    expect(signed.body).toBe('{"code":"SUCCESS","message":"ok"}');
    const input = {
      headers: {
        timestamp: signed.headers['Wechatpay-Timestamp'],
        nonce: signed.headers['Wechatpay-Nonce'],
        signature: signed.headers['Wechatpay-Signature'],
        serial: signed.headers['Wechatpay-Serial'],
      },
      body: signed.body,
      publicKeys: testPlatformPublicKeys,
      nowSeconds: ts + 10,
    };
    expect(codeOf(() => verifyV3Response(input))).toBe('NO_ERROR');
    expect(codeOf(() => verifyV3Response({ ...input, body: '{"code":"SUCCESS","message":"ok" }' }))).toBe('SIGN_INVALID');
  });

  it('verifies the raw body bytes, including bytes that are not UTF-8', () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const message = Buffer.concat([Buffer.from(`${ts}\n${nonce}\n`), raw, Buffer.from('\n')]);
    const signature = sign('sha256', message, testKeys.platform.privateKey).toString('base64');
    expect(codeOf(() => verifyV3Response({ ...withHeaders({ signature }), body: raw }))).toBe('NO_ERROR');
    // Decoding and re-encoding the body (what a JSON parse + stringify would do) breaks it.
    expect(codeOf(() => verifyV3Response({ ...withHeaders({ signature }), body: raw.toString('utf8') }))).toBe('SIGN_INVALID');
  });

  it('accepts a platform certificate serial as well as a public key id', () => {
    const certSerial = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
    const keys = new Map([[certSerial, testKeys.platform.publicKey]]);
    expect(codeOf(() => verifyV3Response({ ...withHeaders({ serial: certSerial }), publicKeys: keys }))).toBe('NO_ERROR');
  });

  it.each([
    ['body', { body: body.replace('成功', '失败') }],
    ['body (one trailing space)', { body: `${body} ` }],
    ['timestamp', withHeaders({ timestamp: String(ts + 1) })],
    ['nonce', withHeaders({ nonce: `${nonce.slice(0, -1)}d` })],
    ['signature', withHeaders({ signature: `A${opensslSignature.slice(1)}` })],
  ])('fails when the %s is tampered with', (_name, change) => {
    expect(codeOf(() => verifyV3Response({ ...base, ...change }))).toBe('SIGN_INVALID');
  });

  it('fails when the key under the serial is not the signer', () => {
    const keys = new Map([[testKeys.platformPublicKeyId, testKeys.merchant.publicKey]]);
    expect(codeOf(() => verifyV3Response({ ...base, publicKeys: keys }))).toBe('SIGN_INVALID');
  });

  it('accepts |now − timestamp| = 300 s and refuses 301 s, both ways', () => {
    expect(codeOf(() => verifyV3Response({ ...base, nowSeconds: ts + 300 }))).toBe('NO_ERROR');
    expect(codeOf(() => verifyV3Response({ ...base, nowSeconds: ts - 300 }))).toBe('NO_ERROR');
    expect(codeOf(() => verifyV3Response({ ...base, nowSeconds: ts + 301 }))).toBe('SIGN_TIMESTAMP_SKEW');
    expect(codeOf(() => verifyV3Response({ ...base, nowSeconds: ts - 301 }))).toBe('SIGN_TIMESTAMP_SKEW');
    expect(codeOf(() => verifyV3Response({ ...base, nowSeconds: ts + 60, maxSkewSeconds: 59 }))).toBe('SIGN_TIMESTAMP_SKEW');
    // Date.now()/1000 of an invalid Date, or an option read from a bad env var, must not disable the check.
    expect(codeOf(() => verifyV3Response({ ...base, nowSeconds: Number.NaN }))).toBe('SIGN_TIMESTAMP_SKEW');
    expect(codeOf(() => verifyV3Response({ ...base, maxSkewSeconds: Number.NaN }))).toBe('SIGN_TIMESTAMP_SKEW');
  });

  it('fails a WECHATPAY/SIGNTEST/ probe even from a known serial', () => {
    const probe = withHeaders({ signature: `WECHATPAY/SIGNTEST/${opensslSignature}` });
    expect(codeOf(() => verifyV3Response(probe))).toBe('SIGN_TEST_PROBE');
  });

  it('fails an unknown serial', () => {
    expect(codeOf(() => verifyV3Response(withHeaders({ serial: 'PUB_KEY_ID_0000000000000000000000000000000000' })))).toBe('SIGN_UNKNOWN_SERIAL');
    expect(codeOf(() => verifyV3Response({ ...base, publicKeys: new Map() }))).toBe('SIGN_UNKNOWN_SERIAL');
  });

  it.each(['timestamp', 'nonce', 'signature', 'serial'] as const)('fails when the %s header is missing or empty', (name) => {
    expect(codeOf(() => verifyV3Response(withHeaders({ [name]: undefined })))).toBe('SIGN_MISSING');
    expect(codeOf(() => verifyV3Response(withHeaders({ [name]: null })))).toBe('SIGN_MISSING');
    expect(codeOf(() => verifyV3Response(withHeaders({ [name]: '' })))).toBe('SIGN_MISSING');
  });

  it('refuses malformed timestamps, nonces and signatures without throwing anything else', () => {
    expect(codeOf(() => verifyV3Response(withHeaders({ timestamp: '1764057600.0' })))).toBe('SIGN_INVALID');
    expect(codeOf(() => verifyV3Response(withHeaders({ nonce: `x\n${nonce}` })))).toBe('SIGN_INVALID');
    expect(codeOf(() => verifyV3Response(withHeaders({ signature: 'not base64!' })))).toBe('SIGN_INVALID');
    expect(codeOf(() => verifyV3Response(withHeaders({ signature: 'c2ln' })))).toBe('SIGN_INVALID');
  });

  it('never puts the signature or key in its error message', () => {
    try {
      verifyV3Response({ ...base, body: `${body} ` });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WxPayError);
      expect((error as Error).message).not.toContain(opensslSignature.slice(0, 16));
      expect((error as Error).message).not.toContain('PRIVATE');
    }
  });
});

describe('verifyV3Response properties', () => {
  const sign = (text: string, timestampSeconds: number, n: string) =>
    buildSignedV3Response(text, { privateKey: testKeys.platform.privateKey, serial: testKeys.platformPublicKeyId, timestampSeconds, nonce: n });
  const verifyBytes = (signed: ReturnType<typeof sign>, bytes: Buffer) =>
    codeOf(() =>
      verifyV3Response({
        headers: {
          timestamp: signed.headers['Wechatpay-Timestamp'],
          nonce: signed.headers['Wechatpay-Nonce'],
          signature: signed.headers['Wechatpay-Signature'],
          serial: signed.headers['Wechatpay-Serial'],
        },
        body: bytes,
        publicKeys: testPlatformPublicKeys,
        nowSeconds: Number(signed.headers['Wechatpay-Timestamp']),
      }),
    );

  it('verifies any signed body and fails when any byte of it changes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 1_500_000_000, max: 2_500_000_000 }),
        fc.stringMatching(/^[0-9a-zA-Z]{1,32}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (text, timestampSeconds, n, position, xor) => {
          const signed = sign(text, timestampSeconds, n);
          const bytes = Buffer.from(signed.body, 'utf8');
          expect(verifyBytes(signed, bytes)).toBe('NO_ERROR');
          const tampered = Buffer.concat([bytes, Buffer.from('x')]);
          if (bytes.length > 0) tampered[position % bytes.length] = (tampered[position % bytes.length] ?? 0) ^ xor;
          expect(verifyBytes(signed, bytes.length > 0 ? tampered.subarray(0, bytes.length) : tampered)).toBe('SIGN_INVALID');
        },
      ),
      { numRuns: 40 },
    );
  });
});
