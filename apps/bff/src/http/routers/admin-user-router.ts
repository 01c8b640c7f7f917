import type { Router } from '@koa/router';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { DomainError } from '../../domain/domain-error';
import { revokeSessions } from '../../domain/session/revoke-sessions';
import { isAdminAuthorized } from '../middleware/admin-token';
import type { AppState } from '../app-state';

/** Operator endpoints on buyers (Bearer ADMIN_TOKEN; not under /api: no CORS, no public rate limit). */
export function adminUserRoutes(router: Router<AppState>, deps: { checkout: CheckoutDeps; token: string | null }): void {
  /** Revokes every session token of the user (a stolen phone, a compromised account). */
  router.post('/admin/users/:id/revoke-sessions', async (ctx) => {
    if (!isAdminAuthorized(ctx.get('authorization'), deps.token)) throw new DomainError('ADMIN_UNAUTHENTICATED', 'a valid admin token is required');
    await revokeSessions(deps.checkout, ctx.params.id ?? '');
    ctx.body = { revoked: true };
  });
}
