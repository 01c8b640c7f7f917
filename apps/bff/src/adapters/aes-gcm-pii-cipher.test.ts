import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesGcmPiiCipher } from './aes-gcm-pii-cipher';

const secret = '张三 110101199003074514';
const cipher = new AesGcmPiiCipher('pii-key-for-tests-0000000000000000');

describe('AesGcmPiiCipher (PII at rest)', () => {
  it('round-trips, with a fresh IV each time and no plaintext in the output', () => {
    const a = cipher.seal(secret);
    const b = cipher.seal(secret);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a).not.toContain('110101');
    expect(cipher.open(a)).toBe(secret);
  });

  it('refuses a tampered value, another key and an unknown format', () => {
    const sealed = cipher.seal(secret);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() => cipher.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow();
    expect(() => new AesGcmPiiCipher('another-key-00000000000000000000000').open(sealed)).toThrow();
    expect(() => cipher.open('v2.AAAA.AAAA.AAAA')).toThrow();
    expect(() => cipher.open('v1.AAAA')).toThrow();
  });

  it('never puts the plaintext in an error', () => {
    const sealed = cipher.seal(secret);
    let message = '';
    try {
      new AesGcmPiiCipher('another-key-00000000000000000000000').open(sealed);
    } catch (error) {
      message = String((error as Error).message);
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('张三');
  });

  it('opens a value built independently from the documented format (v1.<iv>.<tag>.<ciphertext>, key = SHA-256 of the secret)', () => {
    const key = createHash('sha256').update('pii-key-for-tests-0000000000000000').digest();
    const iv = Buffer.alloc(12, 9);
    const raw = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([raw.update('13800138000', 'utf8'), raw.final()]);
    const sealed = ['v1', iv, raw.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    expect(cipher.open(sealed)).toBe('13800138000');
  });
});
