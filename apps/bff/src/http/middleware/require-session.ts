import type { Middleware } from 'koa';
import { authenticateSession } from '../../domain/session/authenticate-session';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { DomainError } from '../../domain/domain-error';
import type { AppState } from '../app-state';

/**
 * `Authorization: Bearer <session token>` → ctx.state.userId, or 401 UNAUTHENTICATED. A token
 * revoked by logout (its generation is behind the user's) is refused like a forged one.
 */
export function requireSession(deps: Pick<CheckoutDeps, 'sessions' | 'users' | 'clock'>): Middleware<AppState> {
  return async (ctx, next) => {
    const match = /^Bearer ([A-Za-z0-9._-]{1,512})$/.exec(ctx.get('authorization'));
    const userId = match?.[1] ? await authenticateSession(deps, match[1]) : null;
    if (!userId) throw new DomainError('UNAUTHENTICATED', 'a valid session token is required');
    ctx.state.userId = userId;
    await next();
  };
}
