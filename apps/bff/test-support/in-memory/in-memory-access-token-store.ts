import type { AccessTokenStore, StoredAccessToken } from '../../src/domain/access-token/access-token-store';

/** The token row of each appid in memory, with the same lease rules as the Kysely store. */
export class InMemoryAccessTokenStore implements AccessTokenStore {
  readonly rows = new Map<string, { token: StoredAccessToken | null; holder: string | null; leaseUntil: Date | null }>();

  read(appId: string): Promise<StoredAccessToken | null> {
    return Promise.resolve(this.rows.get(appId)?.token ?? null);
  }

  acquireLease(appId: string, holder: string, now: Date, until: Date): Promise<boolean> {
    const row = this.rows.get(appId) ?? { token: null, holder: null, leaseUntil: null };
    const free = row.holder === null || row.holder === holder || (row.leaseUntil !== null && row.leaseUntil <= now);
    if (free) this.rows.set(appId, { ...row, holder, leaseUntil: until });
    return Promise.resolve(free);
  }

  saveAndRelease(appId: string, holder: string, token: StoredAccessToken): Promise<boolean> {
    const row = this.rows.get(appId);
    if (!row || row.holder !== holder) return Promise.resolve(false);
    this.rows.set(appId, { token, holder: null, leaseUntil: null });
    return Promise.resolve(true);
  }

  release(appId: string, holder: string): Promise<void> {
    const row = this.rows.get(appId);
    if (row && row.holder === holder) this.rows.set(appId, { ...row, holder: null, leaseUntil: null });
    return Promise.resolve();
  }
}
