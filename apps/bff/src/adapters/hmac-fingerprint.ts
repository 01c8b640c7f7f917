import { createHmac } from 'node:crypto';

/** Canonical JSON (sorted keys) so equal bodies fingerprint equally whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Keyed (HMAC) because bodies may contain PII that a plain hash would let anyone brute-force. */
export function createFingerprint(secret: string): (value: unknown) => string {
  return (value) => createHmac('sha256', secret).update(canonicalJson(value)).digest('base64url');
}
