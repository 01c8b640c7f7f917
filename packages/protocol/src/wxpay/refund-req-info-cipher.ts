import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { isBase64 } from './base64';
import { WxPayCryptoError, WxPayValidationError } from './errors';
import { decodeDecryptedUtf8 } from './utf8-text';

/*
 * The refund notification's `req_info`: base64 of AES-256-ECB with PKCS#7 padding, no IV. The key
 * is the 32 ASCII bytes of the lower-case hex MD5 of the APIv2 key (not the 16 digest bytes).
 * ECB has no integrity: a successful decryption only shows the sender knew the key, so callers
 * also check the decrypted fields against their own records.
 */

const AES_KEY_BYTES = 32;
const BLOCK_BYTES = 16;
/** Far above any real req_info (about 1.1 KB): refuse before decrypting attacker-sized input. */
const MAX_REQ_INFO_CHARS = 64 * 1024;

/** The AES-256 key for req_info: `md5(apiKey)` as 32 lower-case hex ASCII bytes. */
export function refundReqInfoKey(apiKey: string): Buffer {
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new WxPayValidationError('FIELD_MISSING', 'apiKey', 'the APIv2 key is missing');
  }
  return Buffer.from(createHash('md5').update(apiKey, 'utf8').digest('hex'), 'ascii');
}

function checkAesKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== AES_KEY_BYTES) {
    throw new WxPayValidationError('FIELD_INVALID', 'aesKey', `AES-256 key must be ${AES_KEY_BYTES} bytes`);
  }
}

/** AES-256-ECB + PKCS#7 of the UTF-8 `plaintext`, base64 (deterministic: ECB has no IV). */
export function encryptAes256Ecb(plaintext: string, key: Buffer): string {
  checkAesKey(key);
  const cipher = createCipheriv('aes-256-ecb', key, null);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * Decrypts base64 AES-256-ECB + PKCS#7 to UTF-8 text. Not base64, not whole blocks, bad padding
 * (the usual sign of a wrong key) or non-UTF-8 plaintext → `WxPayCryptoError('DECRYPT_FAILED')`.
 */
export function decryptAes256Ecb(ciphertext: string, key: Buffer): string {
  checkAesKey(key);
  if (typeof ciphertext !== 'string' || ciphertext === '') throw new WxPayCryptoError('DECRYPT_FAILED', 'AES-ECB ciphertext is empty');
  if (ciphertext.length > MAX_REQ_INFO_CHARS) {
    throw new WxPayCryptoError('DECRYPT_FAILED', `AES-ECB ciphertext is ${ciphertext.length} characters; at most ${MAX_REQ_INFO_CHARS} allowed`);
  }
  if (!isBase64(ciphertext)) throw new WxPayCryptoError('DECRYPT_FAILED', 'AES-ECB ciphertext is not base64');
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length % BLOCK_BYTES !== 0) {
    throw new WxPayCryptoError('DECRYPT_FAILED', `AES-ECB ciphertext is ${bytes.length} bytes, not a whole number of ${BLOCK_BYTES}-byte blocks`);
  }
  let plain: Buffer;
  try {
    // OpenSSL checks every padding byte, not only the last one.
    const decipher = createDecipheriv('aes-256-ecb', key, null);
    plain = Buffer.concat([decipher.update(bytes), decipher.final()]);
  } catch (error) {
    throw new WxPayCryptoError('DECRYPT_FAILED', 'AES-ECB padding is invalid (wrong key or tampered ciphertext)', undefined, { cause: error });
  }
  return decodeDecryptedUtf8(plain, 'AES-ECB');
}

/** Decrypts a refund notification's `req_info` with the merchant's APIv2 key. */
export function decryptRefundReqInfo(reqInfo: string, apiKey: string): string {
  return decryptAes256Ecb(reqInfo, refundReqInfoKey(apiKey));
}

/** Encrypts a `<root>` plaintext as WeChat does (emulator and test fixtures). */
export function encryptRefundReqInfo(plaintext: string, apiKey: string): string {
  return encryptAes256Ecb(plaintext, refundReqInfoKey(apiKey));
}
