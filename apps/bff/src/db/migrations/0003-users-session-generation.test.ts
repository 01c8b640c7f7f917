import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { outboxMigrations } from '../../outbox/outbox-migrations';
import { createDatabase } from '../create-database';
import { migrateToLatest } from '../migrate';
import { freshDatabase, releaseTestPostgres, testBackends } from '../../../test-support/test-databases';
import { initialMigration } from './0001-initial';

afterAll(releaseTestPostgres);

describe.each(testBackends)('users.session_generation on %s', (backend) => {
  it('is added to a database that already ran the later-named outbox migrations; existing users start at 0', async () => {
    const database = await freshDatabase(backend, 'migration_0003');
    const handle = createDatabase(database.config);
    try {
      const { db } = handle;
      // The schema as released before this migration existed.
      const released = { '0001-initial': initialMigration, ...outboxMigrations };
      const old = await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(released) } }).migrateToLatest();
      expect(old.error).toBeUndefined();
      await db.insertInto('users').values({ id: 'usr_existing', openid: 'o-existing', created_at: '2026-01-01T00:00:00.000Z', last_login_at: '2026-01-01T00:00:00.000Z' }).execute();

      await migrateToLatest(db);

      const row = await db.selectFrom('users').select('session_generation').where('id', '=', 'usr_existing').executeTakeFirstOrThrow();
      expect(Number(row.session_generation)).toBe(0);
      // A second start is a no-op.
      await migrateToLatest(db);
    } finally {
      await handle.close();
      database.drop();
    }
  });
});
