import type { RouterMiddleware } from '@koa/router';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../domain/domain-error';
import type { AppState } from '../app-state';

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

/** Route middleware: 401 ADMIN_UNAUTHENTICATED unless the admin token is presented (checked before any body is read). */
export function requireAdmin(adminToken: string | null): RouterMiddleware<AppState> {
  return async (ctx, next) => {
    if (!isAdminAuthorized(ctx.get('authorization'), adminToken)) throw new DomainError('ADMIN_UNAUTHENTICATED', 'a valid admin token is required');
    await next();
  };
}
