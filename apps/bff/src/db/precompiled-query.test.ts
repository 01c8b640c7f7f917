import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { precompiled } from './precompiled-query';

interface Db {
  t: { id: number; kind: string; v: string | null };
}

describe('precompiled (Kysely queries compiled once, run with new values)', () => {
  let dir: string;
  let db: Kysely<Db>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'precompiled-'));
    db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    await sql`create table t (id integer primary key, kind text not null, v text)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = precompiled((k: Kysely<Db>, p: { id: number; v: string | null }) => k.insertInto('t').values({ id: p.id, kind: 'fixed', v: p.v }));
  const byIdAndKind = precompiled((k: Kysely<Db>, p: { id: number }) => k.selectFrom('t').selectAll().where('id', '=', p.id).where('kind', '=', 'fixed'));
  const rename = precompiled((k: Kysely<Db>, p: { id: number; v: string }) => k.updateTable('t').set({ v: p.v }).where('id', '=', p.id).where('v', 'is not', null));

  it('binds each call’s values (nulls too) and keeps the constants of the build', async () => {
    await insert(db, { id: 1, v: 'one' });
    await insert(db, { id: 2, v: null });
    await db.insertInto('t').values({ id: 3, kind: 'other', v: 'three' }).execute();
    expect((await byIdAndKind(db, { id: 1 })).rows).toEqual([{ id: 1, kind: 'fixed', v: 'one' }]);
    expect((await byIdAndKind(db, { id: 2 })).rows).toEqual([{ id: 2, kind: 'fixed', v: null }]);
    // The constant `kind = 'fixed'` is part of the query, not a leftover of the first call.
    expect((await byIdAndKind(db, { id: 3 })).rows).toEqual([]);
  });

  it('reports affected rows and runs inside transactions (rolled back with them)', async () => {
    await insert(db, { id: 1, v: 'one' });
    await insert(db, { id: 2, v: null });
    expect((await rename(db, { id: 1, v: 'uno' })).numAffectedRows).toBe(1n);
    expect((await rename(db, { id: 2, v: 'dos' })).numAffectedRows).toBe(0n);
    await expect(
      db.transaction().execute(async (trx) => {
        await rename(trx, { id: 1, v: 'changed in a rolled-back transaction' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await byIdAndKind(db, { id: 1 })).rows[0]?.v).toBe('uno');
  });

  it('never interpolates a value into the SQL text', async () => {
    const hostile = "x'); drop table t; --";
    await insert(db, { id: 1, v: hostile });
    expect((await byIdAndKind(db, { id: 1 })).rows[0]?.v).toBe(hostile);
  });

  it('refuses a build that uses a parameter inside an expression instead of as a value', async () => {
    const badLike = precompiled((k: Kysely<Db>, p: { v: string }) => k.selectFrom('t').selectAll().where('v', 'like', `%${p.v}`));
    await expect(badLike(db, { v: 'x' })).rejects.toThrow(/plain value/);
  });
});
