import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { PiiCipher } from '../domain/ports/pii-cipher';

/** AES-256-GCM at rest: `v1.<iv>.<tag>.<ciphertext>` (base64url). The key comes from config. */
export class AesGcmPiiCipher implements PiiCipher {
  private readonly key: Buffer;

  /** `secret` of any length is stretched to 32 bytes with SHA-256. */
  constructor(secret: string) {
    this.key = createHash('sha256').update(secret).digest();
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) throw new Error('sealed PII has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
