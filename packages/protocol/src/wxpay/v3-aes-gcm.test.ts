import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf, errorOf } from '../testing/caught-error';
import { testMerchant } from '../testing/test-keys';
import { decryptAesGcm, encryptAesGcm } from './v3-aes-gcm';

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

  it('keeps a leading U+FEFF: it is plaintext, not a byte-order mark to drop', () => {
    const ciphertext = encryptAesGcm({ apiV3Key, nonce, associatedData, plaintext: '\uFEFF{"a":1}' });
    expect(decryptAesGcm({ apiV3Key, nonce, associatedData, ciphertext })).toBe('\uFEFF{"a":1}');
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

describe('AES-GCM property', () => {
  it('round-trips any text and AAD', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 10 }).map((t) => `\uFEFF${t}`)), fc.string({ maxLength: 40 }), (text, aad) => {
        const ciphertext = encryptAesGcm({ apiV3Key: testMerchant.apiV3Key, nonce: 'abcdefghijkl', associatedData: aad, plaintext: text });
        expect(decryptAesGcm({ apiV3Key: testMerchant.apiV3Key, nonce: 'abcdefghijkl', associatedData: aad, ciphertext })).toBe(text);
      }),
      { numRuns: 60 },
    );
  });
});
