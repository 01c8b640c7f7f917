import { createHash, timingSafeEqual } from 'node:crypto';

/** The message-push signature: sha1 of token, timestamp and nonce, sorted as strings and joined. */
export function messagePushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join(''), 'utf8').digest('hex');
}

/** Whether `signature` is the push signature of this timestamp and nonce, compared in constant time. */
export function isMessagePushSigned(token: string, query: { signature?: unknown; timestamp?: unknown; nonce?: unknown }): boolean {
  const { signature, timestamp, nonce } = query;
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string') return false;
  if (!/^[0-9a-f]{40}$/i.test(signature) || timestamp.length > 32 || nonce.length > 64) return false;
  return timingSafeEqual(Buffer.from(messagePushSignature(token, timestamp, nonce), 'hex'), Buffer.from(signature.toLowerCase(), 'hex'));
}
