import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SubsidyError } from './subsidy-error';

/** Data keys by id; `currentKeyId` seals, every key opens (so keys can be rotated). */
export interface PiiKeyring {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export interface PiiCipher {
  /**
   * `context` (e.g. `${outTradeNo}/pii`) is bound as AAD: a value moved to another row or field
   * fails to open. Optional so the cipher also fits the domain's one-argument PiiCipher port.
   */
  seal(plaintext: string, context?: string): string;
  open(sealed: string, context?: string): string;
}

const VERSION = 'pii1';
const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;

/** A 32-byte data key from config: base64 (44 chars) or hex (64 chars). */
export function parsePiiDataKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new SubsidyError('SUBSIDY_PII_KEY_INVALID', 'PII data key must be 32 bytes, given as 64 hex chars or base64');
  }
  return key;
}

/**
 * AES-256-GCM for personal data at rest. Output `pii1.<keyId>.<iv>.<ciphertext+tag>` (base64url),
 * random 12-byte IV per value, 16-byte tag checked on open. Errors never include the plaintext.
 */
export function createPiiCipher(keyring: PiiKeyring): PiiCipher {
  for (const [id, key] of keyring.keys) {
    if (!keyIdPattern.test(id) || key.length !== 32) {
      throw new SubsidyError('SUBSIDY_PII_KEY_INVALID', `PII key "${id}" must have an id of [A-Za-z0-9_-]{1,32} and 32 bytes`);
    }
  }
  const current = keyring.keys.get(keyring.currentKeyId);
  if (!current) throw new SubsidyError('SUBSIDY_PII_KEY_INVALID', `current PII key id "${keyring.currentKeyId}" is not in the keyring`);
  const aad = (keyId: string, context: string): Buffer => Buffer.from(`${VERSION}|${keyId}|${context}`, 'utf8');

  return {
    seal(plaintext, context = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(aad(keyring.currentKeyId, context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [VERSION, keyring.currentKeyId, iv.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, context = '') {
      const [version, keyId, ivText, bodyText, ...rest] = sealed.split('.');
      const key = keyId === undefined ? undefined : keyring.keys.get(keyId);
      if (version !== VERSION || !key || ivText === undefined || bodyText === undefined || rest.length > 0) {
        throw new SubsidyError('SUBSIDY_PII_UNREADABLE', 'sealed PII value has an unknown format or key id');
      }
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (iv.length !== 12 || body.length < 16) throw new SubsidyError('SUBSIDY_PII_UNREADABLE', 'sealed PII value is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(aad(keyId as string, context));
        decipher.setAuthTag(body.subarray(body.length - 16));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        throw new SubsidyError('SUBSIDY_PII_UNREADABLE', 'sealed PII value failed authentication (wrong key, context or tampered)');
      }
    },
  };
}
