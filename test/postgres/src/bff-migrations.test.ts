import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, demoCatalog, migrateToLatest, seedCatalog, type DatabaseHandle } from '@checkout/bff';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provideTestDatabase, type TestDatabase } from '@checkout/postgres-server';

type Columns = Record<string, string[]>;

async function postgresColumns(url: string): Promise<Columns> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and table_name not like 'kysely_%' order by table_name, column_name`,
    );
    const columns: Columns = {};
    for (const row of rows) (columns[row.table_name] ??= []).push(row.column_name);
    return columns;
  } finally {
    await client.end();
  }
}

async function sqliteColumns(handle: DatabaseHandle): Promise<Columns> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select m.name as table_name, p.name as column_name from sqlite_master m join pragma_table_info(m.name) p
     where m.type = 'table' and m.name not like 'kysely_%' and m.name not like 'sqlite_%' order by m.name, p.name`.execute(handle.db);
  const columns: Columns = {};
  for (const row of rows) (columns[row.table_name] ??= []).push(row.column_name);
  return columns;
}

function postgresHandle(url: string): DatabaseHandle {
  return createDatabase({ kind: 'postgres', url, poolSize: 2 });
}

describe('BFF migrations on PostgreSQL', () => {
  let server: TestDatabase;
  const sqliteDir = mkdtempSync(join(tmpdir(), 'bff-sqlite-'));

  beforeAll(async () => {
    server = await provideTestDatabase('migrations');
  });
  afterAll(async () => {
    await server.release();
    rmSync(sqliteDir, { recursive: true, force: true });
  });

  it('create the same tables and columns as on SQLite', async () => {
    const sqlite = createDatabase({ kind: 'sqlite', path: join(sqliteDir, 'bff.sqlite') });
    const postgres = postgresHandle(server.url);
    try {
      await migrateToLatest(sqlite.db);
      await migrateToLatest(postgres.db);
      const expected = await sqliteColumns(sqlite);
      expect(Object.keys(expected)).toEqual(expect.arrayContaining(['orders', 'order_items', 'pay_notifications', 'products']));
      expect(await postgresColumns(server.url)).toEqual(expected);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  });

  it('are a no-op the second time', async () => {
    const postgres = postgresHandle(server.url);
    try {
      const before = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(postgres.db);
      await migrateToLatest(postgres.db);
      const after = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(postgres.db);
      expect(after.rows).toEqual(before.rows);
      expect(before.rows.length).toBeGreaterThan(0);
    } finally {
      await postgres.close();
    }
  });

  it('apply once when several instances start at the same moment on an empty database', async () => {
    const url = await server.createDatabase('concurrent_migrate');
    const instances = Array.from({ length: 4 }, () => postgresHandle(url));
    try {
      const results = await Promise.allSettled(instances.map(async (instance) => {
        await migrateToLatest(instance.db);
        await seedCatalog(instance.db);
      }));
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      const [instance] = instances;
      if (!instance) throw new Error('no instance');
      const migrations = await sql<{ name: string; n: string }>`select name, count(*) as n from kysely_migration group by name`.execute(instance.db);
      expect(migrations.rows.every((row) => Number(row.n) === 1)).toBe(true);
      const products = await sql<{ n: string }>`select count(*) as n from products`.execute(instance.db);
      expect(Number(products.rows[0]?.n)).toBe(demoCatalog.length);
      expect(await postgresColumns(url)).toEqual(await postgresColumns(server.url));
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it('enforce the uniqueness money depends on (transaction_id, out_trade_no) as constraints', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ columns: string }>(
        `select string_agg(a.attname, ',' order by a.attname) as columns
           from pg_index i join pg_class t on t.oid = i.indrelid
           join pg_attribute a on a.attrelid = t.oid and a.attnum = any(i.indkey)
          where t.relname = 'orders' and i.indisunique group by i.indexrelid`,
      );
      const unique = rows.map((row) => row.columns);
      expect(unique).toEqual(expect.arrayContaining(['id', 'out_trade_no', 'transaction_id', 'idempotency_key,user_id']));
    } finally {
      await client.end();
    }
  });
});
