import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { precompiled } from '../db/precompiled-query';
import type { UserRecord, UserRepository } from '../domain/session/user-repository';

const selectUserById = precompiled((db: Kysely<Database>, p: { id: string }) => db.selectFrom('users').select(['id', 'openid', 'session_generation']).where('id', '=', p.id));
// The hot path of every authenticated request: one primary-key read of one integer.
const selectSessionGeneration = precompiled((db: Kysely<Database>, p: { id: string }) => db.selectFrom('users').select('session_generation').where('id', '=', p.id));

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
    const row = await this.db.selectFrom('users').select(['id', 'openid', 'session_generation']).where('openid', '=', openid).executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async findById(id: string): Promise<UserRecord | null> {
    const [row] = (await selectUserById(this.db, { id })).rows;
    return row ? toRecord(row) : null;
  }

  async findSessionGeneration(id: string): Promise<number | null> {
    const [row] = (await selectSessionGeneration(this.db, { id })).rows;
    return row ? Number(row.session_generation) : null;
  }

  async revokeSessions(id: string): Promise<boolean> {
    // Atomic increment: concurrent revocations never lose one.
    const result = await this.db
      .updateTable('users')
      .set({ session_generation: sql<number>`session_generation + 1` })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

function toRecord(row: { id: string; openid: string; session_generation: number | string }): UserRecord {
  // pg returns integer columns as numbers, but stay safe if the column type ever widens.
  return { id: row.id, openid: row.openid, sessionGeneration: Number(row.session_generation) };
}
