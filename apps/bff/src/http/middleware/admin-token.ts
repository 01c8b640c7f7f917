import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `Authorization: Bearer <token>` against the configured admin token, in constant time (both
 * sides hashed first so lengths leak nothing). No configured token = admin endpoints disabled.
 */
export function isAdminAuthorized(authorization: string | undefined, adminToken: string | null): boolean {
  if (adminToken === null || adminToken.length < 32) return false;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(match[1]), digest(adminToken));
}
