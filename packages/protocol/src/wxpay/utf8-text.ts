import { WxPayCryptoError } from './errors';

// ignoreBOM: a leading U+FEFF is part of the plaintext, not a byte-order mark to drop silently.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decrypted bytes must be UTF-8 text, kept exactly; anything else means the wrong key or tampering. */
export function decodeDecryptedUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new WxPayCryptoError('DECRYPT_FAILED', `${what} plaintext is not valid UTF-8`);
  }
}
