import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPiiCipher, parsePiiDataKey } from './pii-cipher';

/** The `code` of what `fn` throws (undefined when it does not throw). */
function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return undefined;
}

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const secret = '张三 110101199003074514';

describe('createPiiCipher', () => {
  const cipher = createPiiCipher({ currentKeyId: 'k1', keys: new Map([['k1', key1]]) });

  it('round-trips, with a fresh IV each time and no plaintext in the output', () => {
    const a = cipher.seal(secret, 'T1/pii');
    const b = cipher.seal(secret, 'T1/pii');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^pii1\.k1\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain('110101');
    expect(cipher.open(a, 'T1/pii')).toBe(secret);
    expect(cipher.open(cipher.seal(secret), undefined)).toBe(secret);
  });

  it('refuses a value moved to another context, tampered, or sealed under an unknown key', () => {
    const sealed = cipher.seal(secret, 'T1/pii');
    expect(codeOf(() => cipher.open(sealed, 'T2/pii'))).toBe('SUBSIDY_PII_UNREADABLE');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    const tampered = [parts[0], parts[1], parts[2], body.toString('base64url')].join('.');
    expect(codeOf(() => cipher.open(tampered, 'T1/pii'))).toBe('SUBSIDY_PII_UNREADABLE');
    const other = createPiiCipher({ currentKeyId: 'k1', keys: new Map([['k1', key2]]) });
    expect(codeOf(() => other.open(sealed, 'T1/pii'))).toBe('SUBSIDY_PII_UNREADABLE');
    expect(codeOf(() => cipher.open('pii1.k9.AAAA.AAAA', 'T1/pii'))).toBe('SUBSIDY_PII_UNREADABLE');
  });

  it('opens values sealed under an older key after rotation', () => {
    const rotated = createPiiCipher({ currentKeyId: 'k2', keys: new Map([['k1', key1], ['k2', key2]]) });
    const old = cipher.seal(secret, 'ctx');
    expect(rotated.open(old, 'ctx')).toBe(secret);
    expect(rotated.seal(secret, 'ctx')).toMatch(/^pii1\.k2\./);
  });

  it('never puts the plaintext in an error', () => {
    try {
      cipher.open(`${cipher.seal(secret, 'a')}x`, 'a');
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('张三');
    }
  });
});

describe('sealed format', () => {
  it('opens a value built independently from the documented format (pii1.<keyId>.<iv>.<ciphertext+tag>, AAD pii1|keyId|context)', () => {
    const key = Buffer.alloc(32, 7);
    const iv = Buffer.alloc(12, 9);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from('pii1|legacy|T9/pii'));
    const body = Buffer.concat([cipher.update('13800138000', 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const sealed = `pii1.legacy.${iv.toString('base64url')}.${body.toString('base64url')}`;
    expect(createPiiCipher({ currentKeyId: 'legacy', keys: new Map([['legacy', key]]) }).open(sealed, 'T9/pii')).toBe('13800138000');
  });
});

describe('parsePiiDataKey', () => {
  it('accepts 32 bytes as hex or base64 and refuses anything else', () => {
    expect(parsePiiDataKey(key1.toString('hex'))).toEqual(key1);
    expect(parsePiiDataKey(key1.toString('base64'))).toEqual(key1);
    expect(codeOf(() => parsePiiDataKey('short'))).toBe('SUBSIDY_PII_KEY_INVALID');
    expect(codeOf(() => createPiiCipher({ currentKeyId: 'k1', keys: new Map([['k1', randomBytes(16)]]) }))).toBe('SUBSIDY_PII_KEY_INVALID');
  });
});
