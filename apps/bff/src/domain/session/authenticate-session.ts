import type { CheckoutDeps } from '../checkout-deps';

/**
 * A bearer token → the user id, or null. The signature and expiry are checked in memory; then one
 * primary-key read compares the token's generation with the user's, so a token issued before a
 * logout or a revocation is refused on every instance at once.
 */
export async function authenticateSession(deps: Pick<CheckoutDeps, 'sessions' | 'users' | 'clock'>, token: string): Promise<string | null> {
  const claims = deps.sessions.verify(token, deps.clock.now());
  if (!claims) return null;
  const current = await deps.users.findSessionGeneration(claims.userId);
  return current !== null && current === claims.generation ? claims.userId : null;
}
