import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { isUniqueViolation } from './is-unique-violation';
import { withStatementCache } from './statement-cache';

interface Db {
  t: { id: number; v: string };
}

describe('withStatementCache (prepared statements reused under Kysely)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function open(capacity: number): { db: Kysely<Db>; prepares: () => number } {
    const dir = mkdtempSync(join(tmpdir(), 'stmt-cache-'));
    dirs.push(dir);
    const raw = new BetterSqlite3(join(dir, 'db.sqlite'));
    let count = 0;
    const prepare = raw.prepare.bind(raw);
    // Counts real prepares without changing them (the real database underneath).
    raw.prepare = (source: string) => {
      count += 1;
      return prepare(source);
    };
    return { db: new Kysely<Db>({ dialect: new SqliteDialect({ database: withStatementCache(raw, capacity) }) }), prepares: () => count };
  }

  it('prepares each SQL text once and keeps answering with the current data', async () => {
    const { db, prepares } = open(16);
    await sql`create table t (id integer primary key, v text not null unique)`.execute(db);
    for (let i = 1; i <= 20; i += 1) await db.insertInto('t').values({ id: i, v: `v${String(i)}` }).execute();
    const before = prepares();
    for (let i = 1; i <= 20; i += 1) {
      expect(await db.selectFrom('t').select('v').where('id', '=', i).executeTakeFirst()).toEqual({ v: `v${String(i)}` });
    }
    expect(prepares() - before).toBe(1);
    await db.updateTable('t').set({ v: 'changed' }).where('id', '=', 3).execute();
    expect(await db.selectFrom('t').select('v').where('id', '=', 3).executeTakeFirst()).toEqual({ v: 'changed' });
    await db.destroy();
  });

  it('a failed statement (constraint) is reusable, in and out of transactions', async () => {
    const { db } = open(16);
    await sql`create table t (id integer primary key, v text not null unique)`.execute(db);
    await db.insertInto('t').values({ id: 1, v: 'a' }).execute();
    const error = await db.insertInto('t').values({ id: 2, v: 'a' }).execute().catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 3, v: 'b' }).execute();
        await trx.insertInto('t').values({ id: 4, v: 'b' }).execute();
      }),
    ).rejects.toSatisfy(isUniqueViolation);
    await db.insertInto('t').values({ id: 5, v: 'c' }).execute();
    expect(await db.selectFrom('t').select('id').orderBy('id').execute()).toEqual([{ id: 1 }, { id: 5 }]);
    await db.destroy();
  });

  it('evicts the least recently used text beyond its capacity and still runs evicted ones', async () => {
    const { db, prepares } = open(2);
    await sql`create table t (id integer primary key, v text not null unique)`.execute(db);
    await db.insertInto('t').values({ id: 1, v: 'a' }).execute();
    const byId = () => db.selectFrom('t').select('v').where('id', '=', 1).executeTakeFirst();
    const byV = () => db.selectFrom('t').select('id').where('v', '=', 'a').executeTakeFirst();
    const all = () => db.selectFrom('t').selectAll().execute();
    await byId();
    await byV();
    const warm = prepares();
    await byId(); // hit: byId becomes the most recent
    await all(); // miss: evicts byV
    await byId(); // still cached
    expect(prepares() - warm).toBe(1);
    expect(await byV()).toEqual({ id: 1 }); // prepared again
    expect(prepares() - warm).toBe(2);
    await db.destroy();
  });

  it('streams rows (a statement iterating holds the connection until it ends)', async () => {
    const { db } = open(16);
    await sql`create table t (id integer primary key, v text not null unique)`.execute(db);
    for (let i = 1; i <= 5; i += 1) await db.insertInto('t').values({ id: i, v: `v${String(i)}` }).execute();
    const seen: number[] = [];
    for await (const row of db.selectFrom('t').select('id').orderBy('id').stream()) seen.push(row.id);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(await db.selectFrom('t').select('id').orderBy('id').execute()).toHaveLength(5);
    await db.destroy();
  });
});
