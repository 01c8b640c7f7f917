import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type Generated } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitSqliteDialect, GroupRolledBackError } from './group-commit-sqlite-dialect';
import { createDatabase } from './create-database';

interface Db {
  rows: { id: Generated<number>; v: string };
  parents: { id: number };
  children: { id: number; parent_id: number };
}

describe('SQLite group commit', () => {
  let dir: string;
  let db: Kysely<Db>;
  /** A second connection to the same file: it sees only committed (durable) work. */
  let observer: BetterSqlite3.Database;
  let statements: string[];
  let reads: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    const path = join(dir, 'db.sqlite');
    const raw = new BetterSqlite3(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    statements = [];
    reads = [];
    const writer = { prepare: (text: string) => (statements.push(text), raw.prepare(text)), close: () => raw.close() };
    const rawReader = new BetterSqlite3(path, { readonly: true });
    const reader = { prepare: (text: string) => (reads.push(text), rawReader.prepare(text)), close: () => rawReader.close() };
    db = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect({ database: writer }, { writer: raw, reader }) });
    await sql`create table rows (id integer primary key, v text not null unique)`.execute(db);
    await sql`create table parents (id integer primary key)`.execute(db);
    await sql`create table children (id integer primary key, parent_id integer not null references parents (id) deferrable initially deferred)`.execute(db);
    observer = new BetterSqlite3(path, { readonly: true });
    statements = [];
  });

  afterEach(async () => {
    observer.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const committedValues = (): string[] => (observer.prepare('select v from rows order by id').all() as { v: string }[]).map((row) => row.v);
  const commits = (): number => statements.filter((text) => text === 'commit').length;
  const insert = (value: string) => db.transaction().execute((trx) => trx.insertInto('rows').values({ v: value }).execute());

  it('transactions of one turn share one COMMIT, and each settles only once its work is committed', async () => {
    const values = Array.from({ length: 20 }, (_, i) => `v${String(i)}`);
    const seenAtSettle = await Promise.all(values.map((value) => insert(value).then(() => committedValues().includes(value))));
    expect(seenAtSettle).toEqual(values.map(() => true));
    expect(commits()).toBe(1);
    expect(statements.filter((text) => text === 'begin immediate')).toHaveLength(1);
    expect(statements.filter((text) => text.startsWith('savepoint '))).toHaveLength(20);
    expect(committedValues()).toEqual(values);
  });

  it('a failing transaction undoes only its own work; the others of its group are kept', async () => {
    const results = await Promise.allSettled([
      insert('a'),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('rows').values({ v: 'b' }).execute();
        throw new Error('abandon b');
      }),
      // A constraint error (the statement fails, the transaction goes on) is undone the same way.
      db.transaction().execute(async (trx) => {
        await trx.insertInto('rows').values({ v: 'c' }).execute();
        await trx.insertInto('rows').values({ v: 'a' }).execute();
      }),
      insert('d'),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(committedValues()).toEqual(['a', 'd']);
    // A failure commits what came before it (see the next test): a, then c's empty group, then d.
    expect(commits()).toBe(3);
  });

  it('a transaction that collides with an earlier member fails only after that member is committed, so a read then finds what it collided with', async () => {
    const first = insert('key');
    const second = insert('key').catch(async (error: unknown) => ({ error, seen: (await db.selectFrom('rows').select('v').execute()).map((row) => row.v) }));
    const [, collided] = await Promise.all([first, second]);
    expect((collided as { error: { code?: string } }).error.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect((collided as { seen: string[] }).seen).toEqual(['key']);
  });

  it('a read outside a transaction sees committed work only, on its own connection, and leaves the group open', async () => {
    const a = insert('a');
    const b = db.transaction().execute(async (trx) => {
      // Runs after a's RELEASE, before the group's COMMIT: a is not durable yet, so not visible.
      const seen = await db.selectFrom('rows').select('v').execute();
      await trx.insertInto('rows').values({ v: 'b' }).execute();
      return seen.map((row) => row.v);
    });
    const [, seenByB] = await Promise.all([a, b]);
    expect(seenByB).toEqual([]);
    expect(reads.filter((text) => text.startsWith('select'))).toHaveLength(1);
    expect(commits()).toBe(1);
    // After a transaction settles, a read sees its work.
    expect((await db.selectFrom('rows').select('v').execute()).map((row) => row.v)).toEqual(['a', 'b']);
  });

  it('a write outside a transaction commits the open group first, then runs alone', async () => {
    await Promise.all([insert('x'), db.insertInto('rows').values({ v: 'y' }).execute()]);
    expect(committedValues()).toEqual(['x', 'y']);
    const autocommitInsert = statements.findLastIndex((text) => text.startsWith('insert'));
    expect(statements.indexOf('commit')).toBeLessThan(autocommitInsert);
    expect(statements.indexOf('commit')).toBeGreaterThan(statements.indexOf('release group_member'));
  });

  it('a failed COMMIT fails every transaction of the group and keeps none of them; the next group works', async () => {
    const results = await Promise.allSettled([
      insert('fine'),
      // Deferred: the missing parent is found only at COMMIT.
      db.transaction().execute((trx) => trx.insertInto('children').values({ id: 1, parent_id: 99 }).execute()),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((result) => (result.status === 'rejected' ? (result.reason as { code?: string }).code : null))).toEqual(['SQLITE_CONSTRAINT_FOREIGNKEY', 'SQLITE_CONSTRAINT_FOREIGNKEY']);
    expect(committedValues()).toEqual([]);
    await insert('later');
    expect(committedValues()).toEqual(['later']);
  });

  it('when SQLite itself rolls back the group (a full disk), the earlier members fail too, not only the one that hit it', async () => {
    const { page_count: pages } = observer.prepare<[], { page_count: number }>('pragma page_count').get() ?? { page_count: 0 };
    await sql.raw(`pragma max_page_count = ${String(pages)}`).execute(db);
    const results = await Promise.allSettled([
      insert('small'),
      db.transaction().execute(async (trx) => {
        for (let i = 0; i < 50; i += 1) await trx.insertInto('rows').values({ v: `${String(i)}${'x'.repeat(2000)}` }).execute();
      }),
    ]);
    const reasons = results.map((result): unknown => (result.status === 'rejected' ? result.reason : null));
    expect(reasons[0]).toBeInstanceOf(GroupRolledBackError);
    expect((reasons[1] as { code?: string }).code).toBe('SQLITE_FULL');
    expect(committedValues()).toEqual([]);
    await sql.raw('pragma max_page_count = 1000000').execute(db);
    await insert('after');
    expect(committedValues()).toEqual(['after']);
  });

  it('a group holds at most 128 transactions', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => insert(`n${String(i)}`)));
    expect(commits()).toBe(2);
    expect(committedValues()).toHaveLength(200);
  });

  it('destroy commits the open group before closing', async () => {
    const first = insert('first');
    let destroyed: Promise<void> | undefined;
    const second = db.transaction().execute(async (trx) => {
      // The group (first's work) is open; destroy waits for this transaction, then commits both.
      destroyed = db.destroy();
      await trx.insertInto('rows').values({ v: 'second' }).execute();
    });
    await Promise.all([first, second]);
    await destroyed;
    expect(committedValues()).toEqual(['first', 'second']);
    const raw = new BetterSqlite3(join(dir, 'db.sqlite'));
    db = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect({ database: raw }, { writer: raw }) });
  });
});

describe('SQLite group commit without a read connection (:memory:)', () => {
  it('a read outside a transaction commits the open group first', async () => {
    const raw = new BetterSqlite3(':memory:');
    const db = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect({ database: raw }, { writer: raw }) });
    try {
      await sql`create table rows (id integer primary key, v text not null unique)`.execute(db);
      const paid = db.transaction().execute((trx) => trx.insertInto('rows').values({ v: 'paid' }).execute());
      const read = db.selectFrom('rows').select('v').execute();
      const [rows] = await Promise.all([read, paid]);
      expect(rows.map((row) => row.v)).toEqual(['paid']);
      expect(raw.inTransaction).toBe(false);
    } finally {
      await db.destroy();
    }
  });
});

describe('createDatabase on SQLite', () => {
  it('commits concurrent transactions in one group and reports its size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'group-commit-bff-'));
    const groups: number[] = [];
    const handle = createDatabase({ kind: 'sqlite', path: join(dir, 'bff.sqlite') }, { onCommitGroup: (transactions) => groups.push(transactions) });
    try {
      const db = handle.db as unknown as Kysely<Db>;
      await sql`create table rows (id integer primary key, v text not null unique)`.execute(db);
      await Promise.all(Array.from({ length: 20 }, (_, i) => db.transaction().execute((trx) => trx.insertInto('rows').values({ v: `r${String(i)}` }).execute())));
      expect(groups).toEqual([20]);
      const { rows } = await sql<{ n: number }>`select count(*) as n from rows`.execute(db);
      expect(rows[0]?.n).toBe(20);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
