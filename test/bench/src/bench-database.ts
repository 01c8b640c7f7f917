import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

export type Row = Record<string, unknown>;

/**
 * The bench's own connection to a BFF database (the schema the BFF's migrations made): reads the
 * template rows, writes seeded rows in bulk, prints query plans. SQL is written with `?`.
 */
export interface BenchDatabase {
  readonly kind: 'sqlite' | 'postgres';
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Inserts rows (all with the same columns) in bulk: one transaction, batched statements. */
  insertRows(table: string, rows: readonly Row[]): Promise<void>;
  /** The plan the database picks for one statement, one line per node. */
  plan(sql: string, params?: readonly unknown[]): Promise<string[]>;
  close(): Promise<void>;
}

export function openSqlite(path: string): BenchDatabase {
  const db = new BetterSqlite3(path);
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  // The bulk seeding inserts into a dozen indexes at once: a large page cache keeps them in memory.
  db.pragma('cache_size = -262144');
  return {
    kind: 'sqlite',
    all: (sql, params = []) => Promise.resolve(db.prepare(sql).all(...params) as Row[]),
    insertRows(table, rows) {
      const [first] = rows;
      if (first === undefined) return Promise.resolve();
      const columns = Object.keys(first);
      const insert = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      // One transaction with one prepared statement: the bulk path SQLite is fast at.
      db.transaction(() => {
        for (const row of rows) insert.run(...columns.map((column) => row[column] ?? null));
      })();
      return Promise.resolve();
    },
    plan: (sql, params = []) => Promise.resolve((db.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail)),
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${String((n += 1))}`);
};

export async function openPostgres(url: string): Promise<BenchDatabase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    kind: 'postgres',
    async all(sql, params = []) {
      return (await client.query(numbered(sql), [...params])).rows as Row[];
    },
    async insertRows(table, rows) {
      const [first] = rows;
      if (first === undefined) return;
      const columns = Object.keys(first).join(', ');
      // 10 000 rows per statement as one JSON parameter, typed by the table's own row type.
      const insert = `insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, $1::json)`;
      await client.query('begin');
      try {
        for (let start = 0; start < rows.length; start += 10_000) await client.query(insert, [JSON.stringify(rows.slice(start, start + 10_000))]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    async plan(sql, params = []) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${numbered(sql)}`, [...params]);
      return rows.map((row) => row['QUERY PLAN']);
    },
    close: () => client.end(),
  };
}
