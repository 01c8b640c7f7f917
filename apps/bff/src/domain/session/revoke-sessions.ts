import type { CheckoutDeps } from '../checkout-deps';
import { DomainError } from '../domain-error';

/** Logout or an operator's revocation: every session token of this user issued so far stops working. */
export async function revokeSessions(deps: Pick<CheckoutDeps, 'users'>, userId: string): Promise<void> {
  if (!(await deps.users.revokeSessions(userId))) throw new DomainError('NOT_FOUND', 'no such user');
}
