import { execFileSync } from 'node:child_process';
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasOpenssl } from '../testing/has-openssl';
import { codeOf, errorOf } from '../testing/caught-error';
import { devMerchant } from '../testing/dev-merchant';
import { testKeys } from '../testing/test-keys';
import { decryptOaep, encryptOaep, OAEP_MAX_PLAINTEXT_BYTES } from './v3-oaep';

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

  it('keeps a leading U+FEFF: it is plaintext, not a byte-order mark to drop', () => {
    expect(decryptOaep(encryptOaep('\uFEFF张三', publicKey), privateKey)).toBe('\uFEFF张三');
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

describe('OAEP property', () => {
  it('round-trips any text of at most 214 UTF-8 bytes and refuses longer text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 10 }).map((t) => `\uFEFF${t}`)), (text) => {
        if (Buffer.byteLength(text) <= 214) expect(decryptOaep(encryptOaep(text, publicKey), privateKey)).toBe(text);
        else expect(codeOf(() => encryptOaep(text, publicKey))).toBe('OAEP_PLAINTEXT_TOO_LONG');
      }),
      { numRuns: 60 },
    );
  });
});
