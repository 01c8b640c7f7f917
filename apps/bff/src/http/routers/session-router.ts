import type { Router } from '@koa/router';
import type { SessionLogoutResponse, SessionResponse } from '@checkout/protocol/contract';
import { apiRoutes } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { createSession, LoginThrottledError } from '../../domain/session/create-session';
import { DomainError } from '../../domain/domain-error';
import { revokeSessions } from '../../domain/session/revoke-sessions';
import type { AppState } from '../app-state';
import { mountRoute } from '../mount-route';
import { jsonBody } from '../middleware/json-body';
import { rateLimit } from '../middleware/rate-limit';
import { requireSession } from '../middleware/require-session';

export interface SessionRouterDeps {
  checkout: CheckoutDeps;
  jsonLimitBytes: number;
  /** Per client IP on POST /api/session, on top of the API-wide limit: every login may cost WeChat quota. */
  loginRateLimit: { windowMs: number; max: number };
}

export function sessionRoutes(router: Router<AppState>, deps: SessionRouterDeps): void {
  // Counted before the body is read, so a flood of junk codes is cut off as cheaply as possible.
  const limitLogins = rateLimit(deps.loginRateLimit);

  mountRoute(router, apiRoutes.createSession, limitLogins, jsonBody({ limitBytes: deps.jsonLimitBytes }), async (ctx) => {
    const { code } = apiRoutes.createSession.request.parse(ctx.state.body);
    try {
      const session = await createSession(deps.checkout, { code, caller: ctx.ip });
      const body: SessionResponse = { token: session.token, expiresAt: session.expiresAt.toISOString() };
      ctx.body = body;
    } catch (error) {
      if (error instanceof LoginThrottledError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  });

  // Ends every session of the caller (all devices): the tokens carry a generation the logout bumps.
  mountRoute(router, apiRoutes.logout, requireSession(deps.checkout), async (ctx) => {
    const userId = ctx.state.userId;
    if (!userId) throw new DomainError('UNAUTHENTICATED', 'a valid session token is required');
    await revokeSessions(deps.checkout, userId);
    const body: SessionLogoutResponse = { loggedOut: true };
    ctx.body = body;
  });
}
