import { createCipheriv, createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/caught-error';
import { hasOpenssl } from '../testing/has-openssl';
import { refundReqInfoVectors } from '../testing/refund-req-info-vectors';
import { WxPayCryptoError } from './errors';
import { decryptAes256Ecb, decryptRefundReqInfo, encryptAes256Ecb, encryptRefundReqInfo, refundReqInfoKey } from './refund-req-info-cipher';

const { aes_ecb_hello: hello, req_info_full: full } = refundReqInfoVectors;
const fullKey = Buffer.from(full.aes_key_ascii, 'ascii');

/** Raw AES-256-ECB blocks, no padding added: to build ciphertexts with chosen (bad) padding. */
function rawBlocks(plain: Buffer, key: Buffer): string {
  const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** `b64` with one bit of byte `index` flipped. */
function flipBit(b64: string, index: number): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('req_info known answers', () => {
  it('AES-256-ECB "hello" vector (wechatpay-php AesEcbTest), both directions', () => {
    const key = Buffer.from(hello.key_ascii, 'ascii');
    expect(encryptAes256Ecb(hello.plaintext, key)).toBe(hello.ciphertext_base64);
    expect(decryptAes256Ecb(hello.ciphertext_base64, key)).toBe(hello.plaintext);
  });

  it('derives the key as the 32 ASCII bytes of md5(APIv2 key) in lower-case hex', () => {
    expect(refundReqInfoKey(full.api_v2_key).toString('ascii')).toBe(full.aes_key_ascii);
    expect(refundReqInfoKey(full.api_v2_key)).toHaveLength(32);
  });

  it('decrypts the full req_info vector to its 813-byte plaintext', () => {
    const plain = decryptRefundReqInfo(full.req_info, full.api_v2_key);
    expect(plain).toBe(full.plaintext);
    expect(Buffer.byteLength(plain, 'utf8')).toBe(813);
  });

  it('encrypts the plaintext to exactly the vector (ECB is deterministic)', () => {
    expect(encryptRefundReqInfo(full.plaintext, full.api_v2_key)).toBe(full.req_info);
  });

  it.skipIf(!hasOpenssl())('agrees with the openssl CLI on a fresh plaintext', () => {
    const plaintext = '<root><refund_fee>1</refund_fee><x>零钱 ]]> &amp;</x></root>';
    const ours = encryptRefundReqInfo(plaintext, 'devapikey0000000000000000000001x');
    const keyHex = refundReqInfoKey('devapikey0000000000000000000001x').toString('hex');
    const theirs = execFileSync('openssl', ['enc', '-aes-256-ecb', '-d', '-K', keyHex, '-base64', '-A'], { input: ours }).toString('utf8');
    expect(theirs).toBe(plaintext);
  });
});

describe('req_info refusals', () => {
  const refused = (fn: () => unknown): string => {
    const err = errorOf(fn);
    expect(err).toBeInstanceOf(WxPayCryptoError);
    return err.code;
  };

  it('a wrong APIv2 key fails the padding check, and the message carries no key', () => {
    const err = errorOf(() => decryptRefundReqInfo(full.req_info, 'devapikey0000000000000000000001x'));
    expect(err.code).toBe('DECRYPT_FAILED');
    expect(err.message).not.toContain('devapikey');
    expect(err.message).not.toContain(full.aes_key_ascii);
  });

  it('the raw 16-byte MD5 digest (instead of its hex) is not the key', () => {
    const raw = createHash('md5').update(full.api_v2_key).digest();
    const asAes256 = Buffer.concat([raw, raw]);
    expect(refused(() => decryptAes256Ecb(full.req_info, asAes256))).toBe('DECRYPT_FAILED');
  });

  it('a tampered last block is refused', () => {
    const bytes = Buffer.from(full.req_info, 'base64').length;
    expect(refused(() => decryptRefundReqInfo(flipBit(full.req_info, bytes - 1), full.api_v2_key))).toBe('DECRYPT_FAILED');
    expect(refused(() => decryptRefundReqInfo(flipBit(full.req_info, bytes - 16), full.api_v2_key))).toBe('DECRYPT_FAILED');
  });

  it('a tampered inner block decrypts to bytes that are not UTF-8, which is refused', () => {
    expect(refused(() => decryptRefundReqInfo(flipBit(full.req_info, 100), full.api_v2_key))).toBe('DECRYPT_FAILED');
  });

  it.each([
    ['last byte 0x00', Buffer.from('0123456789abcde\x00', 'latin1')],
    ['last byte 0x11 (more than a block)', Buffer.from('0123456789abcde\x11', 'latin1')],
    ['pad bytes that disagree (…02 03 03)', Buffer.from('0123456789abc\x02\x03\x03', 'latin1')],
    ['a full pad block with one wrong byte', Buffer.concat([Buffer.from('0123456789abcdef'), Buffer.alloc(15, 0x10), Buffer.from([0x0f])])],
  ])('PKCS#7 padding with %s is refused', (_name, plain) => {
    expect(refused(() => decryptAes256Ecb(rawBlocks(plain, fullKey), fullKey))).toBe('DECRYPT_FAILED');
  });

  it('correct padding of a chosen plaintext decrypts (the padding cases above are only about padding)', () => {
    const plain = Buffer.concat([Buffer.from('0123456789abcdef'), Buffer.alloc(16, 0x10)]);
    expect(decryptAes256Ecb(rawBlocks(plain, fullKey), fullKey)).toBe('0123456789abcdef');
  });

  it.each([
    ['empty', ''],
    ['not base64', 'q5y5XWA7f7WAsnZX!cLQz4Ear0Cy2MY4'],
    ['unpadded base64', 'pZwJZBLuy3mDACEQT4YTBw'],
    ['not a whole block', Buffer.alloc(17).toString('base64')],
    ['too long', 'A'.repeat(64 * 1024 + 4)],
  ])('ciphertext %s is refused before decrypting', (_name, ciphertext) => {
    expect(refused(() => decryptAes256Ecb(ciphertext, fullKey))).toBe('DECRYPT_FAILED');
  });

  it('refuses a key that is not 32 bytes, and a missing APIv2 key', () => {
    expect(errorOf(() => decryptAes256Ecb(hello.ciphertext_base64, Buffer.alloc(16))).code).toBe('FIELD_INVALID');
    expect(errorOf(() => refundReqInfoKey('')).code).toBe('FIELD_MISSING');
  });
});
