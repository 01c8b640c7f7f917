import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDatabase } from './create-database';
import type { Database } from './schema';
import { freshDatabase } from '../../test-support/test-databases';
import { startTestStack, type TestStack } from '../../test-support/test-stack';

/** From now on any write that needs one more page fails with SQLITE_FULL, as on a full disk. */
async function capAtCurrentSize(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
  const pages = rows[0]?.page_count ?? 0;
  // A pragma takes no bound parameters; the value is an integer read from SQLite itself.
  await sql.raw(`pragma max_page_count = ${String(pages)}`).execute(db);
}

const errorOf = async (promise: Promise<unknown>): Promise<{ code?: string; message?: string }> => {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message?: string };
  }
  throw new Error('expected a rejection');
};

describe('SQLite transactions on a full database', () => {
  const stacks: TestStack[] = [];
  afterAll(async () => {
    for (const stack of stacks) await stack.close();
  });

  it('a transaction that hits SQLITE_FULL rejects with SQLITE_FULL, not with the failed ROLLBACK', async () => {
    const fresh = await freshDatabase('sqlite', 'bff-full');
    const handle = createDatabase(fresh.config);
    try {
      const { db } = handle;
      await sql`create table filler (id integer primary key, v text not null)`.execute(db);
      await capAtCurrentSize(db);
      const error = await errorOf(
        db.transaction().execute(async (trx) => {
          for (let i = 0; i < 50; i += 1) await sql`insert into filler (v) values (${'x'.repeat(2000)})`.execute(trx);
        }),
      );
      expect(error.code).toBe('SQLITE_FULL');
      expect(error.message).not.toMatch(/cannot rollback/);
      // SQLite rolled the whole transaction back itself: nothing was kept, and the connection still works.
      const { rows } = await sql<{ n: number }>`select count(*) as n from filler`.execute(db);
      expect(rows[0]?.n).toBe(0);
      // A transaction that fails for another reason is still rolled back by Kysely.
      await sql.raw('pragma max_page_count = 1000000').execute(db);
      await errorOf(
        db.transaction().execute(async (trx) => {
          await sql`insert into filler (v) values ('kept?')`.execute(trx);
          throw new Error('abandon');
        }),
      );
      const after = await sql<{ n: number }>`select count(*) as n from filler`.execute(db);
      expect(after.rows[0]?.n).toBe(0);
    } finally {
      await handle.close();
      fresh.drop();
    }
  });

  it('a checkout on a full disk answers 500 INTERNAL_ERROR as before and logs SQLITE_FULL', async () => {
    const stack = await startTestStack();
    stacks.push(stack);
    const token = await stack.login();
    await capAtCurrentSize(stack.bff.database.db);
    // Orders fill the free space of the pages already there; the first one that needs a new page fails.
    let failed: Response | undefined;
    for (let i = 0; i < 200 && failed === undefined; i += 1) {
      const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
      if (response.status !== 201) failed = response;
    }
    expect(failed?.status).toBe(500);
    expect(((await failed?.json()) as { error: { code: string } }).error.code).toBe('INTERNAL_ERROR');
    const errors = stack.logLines.filter((line) => line.includes('"level":50'));
    expect(errors.some((line) => line.includes('SQLITE_FULL') && line.includes('database or disk is full'))).toBe(true);
    expect(stack.logLines.filter((line) => line.includes('cannot rollback'))).toEqual([]);
  });
});
