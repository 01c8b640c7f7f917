import type { Middleware } from 'koa';
import type { Clock } from '../../domain/clock';
import { DomainError } from '../../domain/domain-error';
import type { SessionTokens } from '../../domain/session-tokens';
import type { AppState } from '../app-state';

/** `Authorization: Bearer <session token>` → ctx.state.userId, or 401 UNAUTHENTICATED. */
export function requireSession(sessions: SessionTokens, clock: Clock): Middleware<AppState> {
  return async (ctx, next) => {
    const match = /^Bearer ([A-Za-z0-9._-]{1,512})$/.exec(ctx.get('authorization'));
    const userId = match?.[1] ? sessions.verify(match[1], clock.now()) : null;
    if (!userId) throw new DomainError('UNAUTHENTICATED', 'a valid session token is required');
    ctx.state.userId = userId;
    await next();
  };
}
