import type { CheckoutDeps } from './checkout-deps';
import type { IssuedSession } from './session-tokens';

/** wx.login code → our own session. The openid comes from WeChat, never from the client. */
export async function createSession(deps: Pick<CheckoutDeps, 'login' | 'users' | 'sessions' | 'clock' | 'ids'>, code: string): Promise<IssuedSession> {
  const { openid } = await deps.login.exchangeCode(code);
  const user = await deps.users.upsertByOpenid(openid, deps.ids.userId(), deps.clock.now());
  return deps.sessions.issue(user.id, deps.clock.now());
}
