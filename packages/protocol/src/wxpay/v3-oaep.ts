import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { isBase64 } from './base64';
import { WxPayCryptoError } from './errors';
import { decodeDecryptedUtf8 } from './utf8-text';
import { toPrivateKey, toPublicKey, type KeyLike } from './v3-keys';

/** RSA-2048 OAEP with SHA-1: 256 − 2·20 − 2 bytes of plaintext at most. */
export const OAEP_MAX_PLAINTEXT_BYTES = 214;
const OAEP_SHA1_OVERHEAD = 2 * 20 + 2;

function oaepLimit(modulusLength: number | undefined): number {
  return modulusLength === undefined ? OAEP_MAX_PLAINTEXT_BYTES : modulusLength / 8 - OAEP_SHA1_OVERHEAD;
}

/**
 * Encrypts a sensitive field (name, ID number, phone) with the WeChat Pay public key:
 * RSAES-OAEP, SHA-1 and MGF1-SHA-1, base64. The request must name that key in `Wechatpay-Serial`.
 * Error messages give lengths only: the plaintext is personal data.
 */
export function encryptOaep(plaintext: string, publicKey: KeyLike): string {
  const key = toPublicKey(publicKey);
  const bytes = Buffer.from(plaintext, 'utf8');
  const limit = oaepLimit(key.asymmetricKeyDetails?.modulusLength);
  if (bytes.length > limit) {
    throw new WxPayCryptoError('OAEP_PLAINTEXT_TOO_LONG', `OAEP plaintext is ${bytes.length} UTF-8 bytes; the limit is ${limit}`);
  }
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, bytes).toString('base64');
}

/** Reverse of `encryptOaep` with the private key (WeChat Pay's side, i.e. the emulator). */
export function decryptOaep(ciphertextBase64: string, privateKey: KeyLike): string {
  const key = toPrivateKey(privateKey);
  if (ciphertextBase64 === '' || !isBase64(ciphertextBase64)) {
    throw new WxPayCryptoError('DECRYPT_FAILED', 'OAEP ciphertext is not base64');
  }
  let bytes: Buffer;
  try {
    bytes = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ciphertextBase64, 'base64'));
  } catch (error) {
    throw new WxPayCryptoError('DECRYPT_FAILED', 'OAEP decryption failed (wrong key or corrupted ciphertext)', undefined, { cause: error });
  }
  return decodeDecryptedUtf8(bytes, 'OAEP');
}
