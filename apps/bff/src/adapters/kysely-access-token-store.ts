import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { AccessTokenStore, StoredAccessToken } from '../domain/access-token/access-token-store';
import type { PiiCipher } from '../domain/ports/pii-cipher';

/**
 * `wechat_access_tokens`: one row per appid, the token sealed with AES-GCM (a bearer credential:
 * a database dump must not hand it out). The lease is a conditional update, so it holds across
 * processes on SQLite and PostgreSQL alike.
 */
export class KyselyAccessTokenStore implements AccessTokenStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
  ) {}

  async read(appId: string): Promise<StoredAccessToken | null> {
    const row = await this.db.selectFrom('wechat_access_tokens').select(['sealed_token', 'expires_at']).where('app_id', '=', appId).executeTakeFirst();
    if (!row || row.sealed_token === null || row.expires_at === null) return null;
    try {
      return { token: this.cipher.open(row.sealed_token), expiresAt: new Date(row.expires_at) };
    } catch {
      // Sealed under another PII_ENCRYPTION_KEY: as if absent, the next renewal replaces it.
      return null;
    }
  }

  async acquireLease(appId: string, holder: string, now: Date, until: Date): Promise<boolean> {
    await this.db.insertInto('wechat_access_tokens').values({ app_id: appId, sealed_token: null, expires_at: null, lease_holder: null, lease_until: null, refreshed_at: null }).onConflict((oc) => oc.column('app_id').doNothing()).execute();
    const result = await this.db
      .updateTable('wechat_access_tokens')
      .set({ lease_holder: holder, lease_until: until.toISOString() })
      .where('app_id', '=', appId)
      .where((eb) => eb.or([eb('lease_holder', 'is', null), eb('lease_holder', '=', holder), eb('lease_until', '<=', now.toISOString())]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async saveAndRelease(appId: string, holder: string, token: StoredAccessToken, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('wechat_access_tokens')
      .set({ sealed_token: this.cipher.seal(token.token), expires_at: token.expiresAt.toISOString(), lease_holder: null, lease_until: null, refreshed_at: now.toISOString() })
      .where('app_id', '=', appId)
      .where('lease_holder', '=', holder)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async release(appId: string, holder: string): Promise<void> {
    await this.db.updateTable('wechat_access_tokens').set({ lease_holder: null, lease_until: null }).where('app_id', '=', appId).where('lease_holder', '=', holder).execute();
  }
}
