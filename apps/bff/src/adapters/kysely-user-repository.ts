import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { precompiled } from '../db/precompiled-query';
import type { UserRecord, UserRepository } from '../domain/user-repository';

const selectUserById = precompiled((db: Kysely<Database>, p: { id: string }) => db.selectFrom('users').select(['id', 'openid']).where('id', '=', p.id));

export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async upsertByOpenid(openid: string, newId: string, now: Date): Promise<UserRecord> {
    const at = now.toISOString();
    // Insert-or-touch in one statement: concurrent logins of a new user cannot create two rows.
    await this.db
      .insertInto('users')
      .values({ id: newId, openid, created_at: at, last_login_at: at })
      .onConflict((conflict) => conflict.column('openid').doUpdateSet({ last_login_at: at }))
      .execute();
    const row = await this.db.selectFrom('users').select(['id', 'openid']).where('openid', '=', openid).executeTakeFirstOrThrow();
    return row;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const [row] = (await selectUserById(this.db, { id })).rows;
    return row ?? null;
  }
}
