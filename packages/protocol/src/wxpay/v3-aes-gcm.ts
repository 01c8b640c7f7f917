import { createCipheriv, createDecipheriv } from 'node:crypto';
import { isBase64 } from './base64';
import { WxPayCryptoError, WxPayValidationError } from './errors';
import { decodeDecryptedUtf8 } from './utf8-text';

const GCM_KEY_BYTES = 32;
const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;

function gcmKey(apiV3Key: string | Buffer): Buffer {
  const key = Buffer.isBuffer(apiV3Key) ? apiV3Key : Buffer.from(apiV3Key, 'utf8');
  if (key.length !== GCM_KEY_BYTES) {
    // A configuration error, not a bad message: say so without echoing the key.
    throw new WxPayValidationError('FIELD_INVALID', 'apiV3Key', `apiV3Key must be ${GCM_KEY_BYTES} bytes, got ${key.length}`);
  }
  return key;
}

export interface AesGcmEncryptInput {
  /** The 32-byte APIv3 key. */
  apiV3Key: string | Buffer;
  /** 12 bytes (WeChat Pay uses 12 ASCII characters). */
  nonce: string;
  associatedData: string;
  plaintext: string;
}

/** AES-256-GCM, base64 of ciphertext ‖ 16-byte tag: the `resource.ciphertext` of a v3 notification. */
export function encryptAesGcm({ apiV3Key, nonce, associatedData, plaintext }: AesGcmEncryptInput): string {
  const key = gcmKey(apiV3Key);
  const iv = Buffer.from(nonce, 'utf8');
  if (iv.length !== GCM_NONCE_BYTES) {
    throw new WxPayValidationError('FIELD_INVALID', 'nonce', `AES-GCM nonce must be ${GCM_NONCE_BYTES} bytes, got ${iv.length}`);
  }
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]).toString('base64');
}

export interface AesGcmDecryptInput {
  apiV3Key: string | Buffer;
  nonce: string;
  associatedData: string;
  /** base64 of ciphertext ‖ 16-byte tag. */
  ciphertext: string;
}

/** Decrypts and authenticates a v3 `resource`; any tampering, wrong key, nonce or AAD → DECRYPT_FAILED. */
export function decryptAesGcm({ apiV3Key, nonce, associatedData, ciphertext }: AesGcmDecryptInput): string {
  const key = gcmKey(apiV3Key);
  const iv = Buffer.from(nonce, 'utf8');
  if (iv.length !== GCM_NONCE_BYTES) {
    throw new WxPayCryptoError('DECRYPT_FAILED', `AES-GCM nonce must be ${GCM_NONCE_BYTES} bytes, got ${iv.length}`);
  }
  if (!isBase64(ciphertext)) throw new WxPayCryptoError('DECRYPT_FAILED', 'AES-GCM ciphertext is not base64');
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length < GCM_TAG_BYTES) {
    throw new WxPayCryptoError('DECRYPT_FAILED', `AES-GCM ciphertext is ${bytes.length} bytes, shorter than its ${GCM_TAG_BYTES}-byte tag`);
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - GCM_TAG_BYTES));
    // final() throws when the tag does not match; nothing decrypted is returned before that.
    plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - GCM_TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new WxPayCryptoError('DECRYPT_FAILED', 'AES-GCM authentication failed (wrong key, nonce, associated data or tampered ciphertext)', undefined, {
      cause: error,
    });
  }
  return decodeDecryptedUtf8(plain, 'AES-GCM');
}
