import type { DomainLogger } from '../ports/domain-logger';
import { AccessTokenUnavailableError, type AccessTokenIssuer } from './access-token-issuer';
import type { AccessTokenStore, StoredAccessToken } from './access-token-store';

export interface AccessTokenProviderDeps {
  appId: string;
  store: AccessTokenStore;
  issuer: AccessTokenIssuer;
  clock: { now(): Date };
  /** This instance, as lease holder. */
  holder: string;
  sleep: (ms: number) => Promise<void>;
  logger: DomainLogger;
  /**
   * Renew when less than this remains. WeChat renews the stable token 5 minutes before it expires
   * and keeps the old one valid meanwhile, so a normal call in that window returns the new one.
   */
  refreshAheadMs?: number;
  /** How long a refresh may hold the lease (longer than the stable_token call's timeout). */
  leaseMs?: number;
  /** While another instance refreshes: re-read every waitMs, at most waitAttempts times. */
  waitMs?: number;
  waitAttempts?: number;
}

export interface AccessTokenProvider {
  /** A token with more than the refresh margin left, renewed first when needed. */
  current(): Promise<string>;
  /**
   * WeChat refused `rejected` (40001 invalid or not latest, 42001 expired): renew once, unless the
   * stored token is already another one (an instance renewed it meanwhile), and return the token to retry with.
   */
  renewAfterRejection(rejected: string, errcode: number): Promise<string>;
}

/**
 * The mini-program's access_token, shared through the database by every instance. A renewal
 * happens under the store's lease, and the holder re-reads before calling WeChat, so concurrent
 * instances call stable_token once between them; the others wait for the new token or keep using
 * the old one while it is still valid.
 */
export function createAccessTokenProvider(deps: AccessTokenProviderDeps): AccessTokenProvider {
  const refreshAheadMs = deps.refreshAheadMs ?? 5 * 60_000;
  const leaseMs = deps.leaseMs ?? 30_000;
  const waitMs = deps.waitMs ?? 100;
  const waitAttempts = deps.waitAttempts ?? 150;
  const { store, appId, holder } = deps;

  const fresh = (row: StoredAccessToken | null, now: Date): row is StoredAccessToken => row !== null && row.expiresAt.getTime() - now.getTime() > refreshAheadMs;
  const valid = (row: StoredAccessToken | null, now: Date): row is StoredAccessToken => row !== null && row.expiresAt.getTime() > now.getTime();

  /**
   * Renews under the lease unless `goodEnough` accepts the stored token. `fallback`: a token the
   * waiting side may use while another instance holds the lease.
   */
  const renew = async (goodEnough: (row: StoredAccessToken | null, now: Date) => boolean, forceRefresh: boolean, fallback: (row: StoredAccessToken | null, now: Date) => boolean): Promise<string> => {
    for (let attempt = 0; attempt < waitAttempts; attempt += 1) {
      const now = deps.clock.now();
      if (await store.acquireLease(appId, holder, now, new Date(now.getTime() + leaseMs))) {
        let saved = false;
        try {
          const row = await store.read(appId);
          if (row && goodEnough(row, now)) return row.token;
          const issued = await deps.issuer.issue({ forceRefresh });
          const at = deps.clock.now();
          const token = { token: issued.token, expiresAt: new Date(at.getTime() + issued.expiresInSeconds * 1000) };
          saved = await store.saveAndRelease(appId, holder, token, at);
          if (!saved) deps.logger.warn({ appId }, 'access_token lease lost during renewal; the token is used but not stored');
          deps.logger.info({ appId, forceRefresh, expiresInSeconds: issued.expiresInSeconds }, 'access_token renewed');
          return token.token;
        } finally {
          if (!saved) await store.release(appId, holder);
        }
      }
      const row = await store.read(appId);
      if (row && (goodEnough(row, now) || fallback(row, now))) return row.token;
      await deps.sleep(waitMs);
    }
    throw new AccessTokenUnavailableError('LEASE_WAIT_EXCEEDED');
  };

  return {
    async current() {
      const row = await store.read(appId);
      if (fresh(row, deps.clock.now())) return row.token;
      // While another instance renews, a token that is still valid does for this call.
      return renew(fresh, false, valid);
    },
    renewAfterRejection(rejected, errcode) {
      const replaced = (row: StoredAccessToken | null, now: Date) => valid(row, now) && row.token !== rejected;
      // 40001: a normal call would return the same token while WeChat thinks it valid; only a
      // forced one replaces it. 42001: it expired, and a normal call returns a new one.
      return renew(replaced, errcode === 40001, () => false);
    },
  };
}
