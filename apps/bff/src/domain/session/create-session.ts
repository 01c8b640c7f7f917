import type { CheckoutDeps } from '../checkout-deps';
import { DomainError } from '../domain-error';
import type { LoginIdentity } from './exchanged-login-codes';
import type { IssuedSession } from './session-tokens';
import { isPlausibleLoginCode } from './wechat-login';

/** Too many logins for the remaining jscode2session budget: 429 with Retry-After. */
export class LoginThrottledError extends DomainError {
  override name = 'LoginThrottledError';
  constructor(readonly retryAfterSeconds: number) {
    super('LOGIN_RATE_LIMITED', 'too many login attempts, try again later');
  }
}

type SessionDeps = Pick<CheckoutDeps, 'login' | 'users' | 'sessions' | 'clock' | 'ids' | 'loginBudget' | 'loginCodes'>;

const spentCode = (): DomainError => new DomainError('LOGIN_CODE_INVALID', 'the login code is invalid or was already used');

/**
 * wx.login code → our own session. The openid comes from WeChat, never from the client. Every
 * jscode2session call spends app-wide quota, so a code that cannot be real, a repeat of a code
 * already exchanged, and a caller over its share of the budget are answered without calling WeChat.
 * `caller` is the client IP (the same key as the rate limits).
 */
export async function createSession(deps: SessionDeps, input: { code: string; caller: string }): Promise<IssuedSession> {
  const { code, caller } = input;
  if (!isPlausibleLoginCode(code)) throw new DomainError('LOGIN_CODE_INVALID', 'the login code is malformed');
  const seen = deps.loginCodes.lookup(code, caller, deps.clock.now());
  if (seen.kind === 'other-caller') throw spentCode();
  if (seen.kind === 'same-caller') {
    const identity = await seen.identity;
    // A logout since the exchange voids the repeat as well as the tokens.
    if ((await deps.users.findSessionGeneration(identity.userId)) !== identity.generation) throw spentCode();
    return deps.sessions.issue(identity.userId, identity.generation, deps.clock.now());
  }
  const decision = deps.loginBudget.acquire(caller, deps.clock.now());
  if (!decision.granted) throw new LoginThrottledError(decision.retryAfterSeconds);
  const exchange = (async (): Promise<LoginIdentity> => {
    const { openid } = await deps.login.exchangeCode(code);
    const user = await deps.users.upsertByOpenid(openid, deps.ids.userId(), deps.clock.now());
    return { userId: user.id, generation: user.sessionGeneration };
  })();
  deps.loginCodes.remember(code, caller, exchange, deps.clock.now());
  const identity = await exchange;
  return deps.sessions.issue(identity.userId, identity.generation, deps.clock.now());
}
