import { execFileSync } from 'node:child_process';
import { constants, createCipheriv, privateDecrypt, publicEncrypt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf, errorOf } from '../testing/caught-error';
import { devMerchant } from '../testing/dev-merchant';
import { testKeys, testMerchant } from '../testing/test-keys';
import { decryptAesGcm, decryptOaep, encryptAesGcm, encryptOaep, OAEP_MAX_PLAINTEXT_BYTES } from './v3-crypto';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const { publicKey, privateKey } = testKeys.platform;

describe('encryptOaep / decryptOaep', () => {
  it('round-trips sensitive fields, with fresh randomness each time', () => {
    const a = encryptOaep('张三', publicKey);
    const b = encryptOaep('张三', publicKey);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9+/]{341}[AQgw]==$/);
    expect(decryptOaep(a, privateKey)).toBe('张三');
    expect(decryptOaep(b, devMerchant.platformPrivateKeyPem)).toBe('张三');
    expect(decryptOaep(encryptOaep('', devMerchant.platformPublicKeyPem), privateKey)).toBe('');
  });

  it('uses SHA-1 OAEP: node:crypto decrypts it directly with SHA-1 and not with SHA-256', () => {
    const ciphertext = Buffer.from(encryptOaep('13800138000', publicKey), 'base64');
    const sha1 = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ciphertext);
    expect(sha1.toString('utf8')).toBe('13800138000');
    expect(() => privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ciphertext)).toThrow();
  });

  it('decrypts a ciphertext made by Python cryptography (OAEP, MGF1-SHA-1, SHA-1)', () => {
    const fromPython =
      'lgUmbaFkncaOjEjaUXSutHWhfSZKxtymnKzIlIfZupmEQDZWVabqfUimjAURA6e6gaONpyuvLY6qcTz3DIp8fz3NFJ32eEmOvtT5geh2a7EKO1OvaUnpGgD4wRwdFdDucGHFN+ys5cdM6hzzf9wPwaoBZHfwT+xVAiRsy/YP44SPRINmQdxIir7qonu283Wlx/ODHOIkh5yD+6JsBWICKFbsTfzE+2WEDqtWENrffoVCNMNeRQenk4eW7M/R2x1W6tc5/73NGPqKOXTUmaca4JcnmPEQVIrDfvy1dewe5iN/SkfnNS21PHfoPUh99PLnrAUjfmtFZlUkBWIUOAF+0g==';
    expect(decryptOaep(fromPython, privateKey)).toBe('张三丰');
  });

  it.skipIf(!hasOpenssl())('is decrypted by openssl pkeyutl with OAEP SHA-1/MGF1-SHA-1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oaep-'));
    try {
      writeFileSync(join(dir, 'key.pem'), devMerchant.platformPrivateKeyPem);
      writeFileSync(join(dir, 'ct'), Buffer.from(encryptOaep('110105194912310029', publicKey), 'base64'));
      const out = execFileSync(
        'openssl',
        ['pkeyutl', '-decrypt', '-inkey', join(dir, 'key.pem'), '-in', join(dir, 'ct'), '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1', '-pkeyopt', 'rsa_mgf1_md:sha1'],
        { encoding: 'utf8' },
      );
      expect(out).toBe('110105194912310029');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts exactly 214 bytes and refuses 215 with OAEP_PLAINTEXT_TOO_LONG', () => {
    expect(OAEP_MAX_PLAINTEXT_BYTES).toBe(214);
    const max = 'a'.repeat(214);
    expect(decryptOaep(encryptOaep(max, publicKey), privateKey)).toBe(max);
    const error = errorOf(() => encryptOaep('a'.repeat(215), publicKey));
    expect(error.name).toBe('WxPayCryptoError');
    expect(error.code).toBe('OAEP_PLAINTEXT_TOO_LONG');
  });

  it('measures UTF-8 bytes, not characters', () => {
    // 71 × 3-byte 张 = 213 bytes.
    const at214 = `${'张'.repeat(71)}a`;
    const at215 = `${'张'.repeat(71)}ab`;
    const at216 = '张'.repeat(72);
    expect(Buffer.byteLength(at214)).toBe(214);
    expect(decryptOaep(encryptOaep(at214, publicKey), privateKey)).toBe(at214);
    expect(codeOf(() => encryptOaep(at215, publicKey))).toBe('OAEP_PLAINTEXT_TOO_LONG');
    expect(codeOf(() => encryptOaep(at216, publicKey))).toBe('OAEP_PLAINTEXT_TOO_LONG');
    // 4-byte code points: 53 × 4 = 212, + 2 = 214; one more 4-byte char = 216.
    expect(decryptOaep(encryptOaep(`${'😀'.repeat(53)}ab`, publicKey), privateKey)).toBe(`${'😀'.repeat(53)}ab`);
    expect(codeOf(() => encryptOaep('😀'.repeat(54), publicKey))).toBe('OAEP_PLAINTEXT_TOO_LONG');
  });

  it('never echoes the plaintext (personal data) in the error', () => {
    const secret = `110105194912310029${'x'.repeat(200)}`;
    expect(errorOf(() => encryptOaep(secret, publicKey)).message).not.toContain('110105194912310029');
  });

  it('fails with DECRYPT_FAILED under the wrong key, on tampering and on non-base64', () => {
    const ciphertext = encryptOaep('张三', publicKey);
    expect(codeOf(() => decryptOaep(ciphertext, testKeys.merchant.privateKey))).toBe('DECRYPT_FAILED');
    const bytes = Buffer.from(ciphertext, 'base64');
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    expect(codeOf(() => decryptOaep(bytes.toString('base64'), privateKey))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptOaep('not base64!', privateKey))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptOaep('', privateKey))).toBe('DECRYPT_FAILED');
    // PKCS#1 v1.5 padding (a common SDK bug) is not OAEP.
    const pkcs1 = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('张三')).toString('base64');
    expect(codeOf(() => decryptOaep(pkcs1, privateKey))).toBe('DECRYPT_FAILED');
  });
});

describe('encryptAesGcm / decryptAesGcm', () => {
  const apiV3Key = testMerchant.apiV3Key;
  const nonce = '0123456789ab';
  const associatedData = 'transaction';
  const plaintext = '{"out_trade_no":"T1","trade_state":"SUCCESS","payer":"张三"}';
  /** AESGCM(key).encrypt(nonce, plaintext, aad) from Python cryptography, base64. */
  const fromPython = 'O/JZzSrfaxgf6H9oGTLnBDPzKtZAEIv4xsro8sMcYcSwZQKhLLoBGnsiga0HvYaWq0jk+uTuKBr8YXy+elotSkl5KFPsJv9Q+wgFSqzy';

  it('matches an independent implementation in both directions', () => {
    expect(decryptAesGcm({ apiV3Key, nonce, associatedData, ciphertext: fromPython })).toBe(plaintext);
    expect(encryptAesGcm({ apiV3Key, nonce, associatedData, plaintext })).toBe(fromPython);
    expect(encryptAesGcm({ apiV3Key: Buffer.from(apiV3Key), nonce, associatedData, plaintext })).toBe(fromPython);
  });

  it('appends the 16-byte tag after the ciphertext (checked with node:crypto directly)', () => {
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    expect(fromPython).toBe(Buffer.concat([body, cipher.getAuthTag()]).toString('base64'));
  });

  it('round-trips an empty plaintext and an empty AAD', () => {
    const ciphertext = encryptAesGcm({ apiV3Key, nonce, associatedData: '', plaintext: '' });
    expect(Buffer.from(ciphertext, 'base64')).toHaveLength(16);
    expect(decryptAesGcm({ apiV3Key, nonce, associatedData: '', ciphertext })).toBe('');
  });

  it.each([0, 5, 15])('fails on a flipped tag byte %i', (index) => {
    const bytes = Buffer.from(fromPython, 'base64');
    const at = bytes.length - 16 + index;
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce, associatedData, ciphertext: bytes.toString('base64') }))).toBe('DECRYPT_FAILED');
  });

  it('fails on a flipped ciphertext byte, wrong AAD, wrong nonce, wrong key, a dropped tag', () => {
    const bytes = Buffer.from(fromPython, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 0x80;
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce, associatedData, ciphertext: bytes.toString('base64') }))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce, associatedData: 'certificate', ciphertext: fromPython }))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce, associatedData: '', ciphertext: fromPython }))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce: '0123456789ac', associatedData, ciphertext: fromPython }))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptAesGcm({ apiV3Key: `${apiV3Key.slice(0, -1)}2`, nonce, associatedData, ciphertext: fromPython }))).toBe('DECRYPT_FAILED');
    const noTag = Buffer.from(fromPython, 'base64').subarray(0, -16).toString('base64');
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce, associatedData, ciphertext: noTag }))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce, associatedData, ciphertext: 'AAAA' }))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce, associatedData, ciphertext: '%%%%' }))).toBe('DECRYPT_FAILED');
  });

  it('refuses a key that is not 32 bytes and a nonce that is not 12 bytes, without echoing the key', () => {
    const shortKey = 'devapiv3key00000000000000000001';
    const error = errorOf(() => decryptAesGcm({ apiV3Key: shortKey, nonce, associatedData, ciphertext: fromPython }));
    expect(error.code).toBe('FIELD_INVALID');
    expect(error.message).not.toContain(shortKey);
    expect(codeOf(() => encryptAesGcm({ apiV3Key: `${apiV3Key}x`, nonce, associatedData, plaintext }))).toBe('FIELD_INVALID');
    expect(codeOf(() => encryptAesGcm({ apiV3Key, nonce: '0123456789a', associatedData, plaintext }))).toBe('FIELD_INVALID');
    expect(codeOf(() => decryptAesGcm({ apiV3Key, nonce: '0123456789abc', associatedData, ciphertext: fromPython }))).toBe('DECRYPT_FAILED');
  });
});

describe('v3 crypto properties', () => {
  it('AES-GCM round-trips any text and AAD; OAEP round-trips any text of at most 214 UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 40 }), (text, aad) => {
        const ciphertext = encryptAesGcm({ apiV3Key: testMerchant.apiV3Key, nonce: 'abcdefghijkl', associatedData: aad, plaintext: text });
        expect(decryptAesGcm({ apiV3Key: testMerchant.apiV3Key, nonce: 'abcdefghijkl', associatedData: aad, ciphertext })).toBe(text);
        if (Buffer.byteLength(text) <= 214) expect(decryptOaep(encryptOaep(text, publicKey), privateKey)).toBe(text);
        else expect(codeOf(() => encryptOaep(text, publicKey))).toBe('OAEP_PLAINTEXT_TOO_LONG');
      }),
      { numRuns: 60 },
    );
  });
});
