import type { Router } from '@koa/router';
import { adminRoutes } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { revokeSessions } from '../../domain/session/revoke-sessions';
import { requireAdmin } from '../middleware/admin-token';
import { mountRoute } from '../mount-route';
import type { AppState } from '../app-state';

/** Operator endpoints on buyers (Bearer ADMIN_TOKEN; not under /api: no CORS, no public rate limit). */
export function adminUserRoutes(router: Router<AppState>, deps: { checkout: CheckoutDeps; token: string | null }): void {
  /** Revokes every session token of the user (a stolen phone, a compromised account). */
  mountRoute(router, adminRoutes.revokeSessions, requireAdmin(deps.token), async (ctx) => {
    await revokeSessions(deps.checkout, ctx.params.id ?? '');
    ctx.body = { revoked: true };
  });
}
