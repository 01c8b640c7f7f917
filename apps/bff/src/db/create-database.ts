import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { GroupCommitSqliteDialect } from './group-commit-sqlite-dialect';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';

/**
 * SQLite's `synchronous` in WAL mode. FULL (default) syncs the WAL on every commit, so a payment
 * acknowledged to WeChat Pay survives an OS crash or power loss. NORMAL syncs only at checkpoints:
 * faster, but the last commits before a power loss can vanish after their ack (the sweeper's
 * orderquery then has to find those payments again).
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

export type DatabaseConfig =
  /** `cacheMib`: the page cache of each connection (the writer and the reader); better-sqlite3's 16 MB when absent. */
  | { kind: 'sqlite'; path: string; synchronous?: SqliteSynchronous; cacheMib?: number }
  | { kind: 'postgres'; url: string; poolSize: number };

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DatabaseConfig['kind'];
  /** True when a trivial query succeeds (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /**
   * PostgreSQL closed an idle pooled connection (restart, failover, pg_terminate_backend). The
   * pool already dropped it and reconnects on the next query. Log `error.code` only: the error
   * object carries the connection parameters, password included.
   */
  onPoolError?: (error: Error & { code?: string }) => void;
  /** SQLite: after each group COMMIT, how many transactions it made durable (metrics). */
  onCommitGroup?: (transactions: number) => void;
}

/** Kysely over better-sqlite3 (default, a file with WAL) or pg (DATABASE_URL=postgres://…). */
export function createDatabase(config: DatabaseConfig, options: DatabaseOptions = {}): DatabaseHandle {
  const db =
    config.kind === 'sqlite'
      ? new Kysely<Database>({ dialect: sqliteDialect(config, options.onCommitGroup) })
      : new Kysely<Database>({ dialect: postgresDialect(config, options.onPoolError ?? (() => undefined)) });
  let closed = false;
  return {
    db,
    dialect: config.kind,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

function sqliteDialect(config: Extract<DatabaseConfig, { kind: 'sqlite' }>, onCommitGroup: ((transactions: number) => void) | undefined): GroupCommitSqliteDialect {
  const { path } = config;
  // Negative: a size in KiB rather than in pages.
  const cacheSize = config.cacheMib === undefined ? undefined : `cache_size = -${config.cacheMib * 1024}`;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  // Other processes (a second BFF, a CLI) may hold the write lock briefly: wait instead of failing.
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma(`synchronous = ${config.synchronous ?? 'FULL'}`);
  if (cacheSize) database.pragma(cacheSize);
  // Reads outside transactions use their own connection, so they never wait for a commit group
  // (see group-commit-sqlite-dialect.ts). A second connection to ':memory:' would be another database.
  const reader = path === ':memory:' ? undefined : new BetterSqlite3(path, { readonly: true });
  reader?.pragma('busy_timeout = 5000');
  if (cacheSize) reader?.pragma(cacheSize);
  return new GroupCommitSqliteDialect({ database: withStatementCache(database) }, { writer: database, ...(reader ? { reader: withStatementCache(reader) } : {}), ...(onCommitGroup ? { onCommitGroup } : {}) });
}

function postgresDialect(config: { url: string; poolSize: number }, onPoolError: (error: Error) => void): PostgresDialect {
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize });
  // A client's 'error' event with no listener throws and kills the process. pg-pool listens only
  // while a client is idle: one checked out but between two queries (inside a transaction that
  // awaits, say) has none when PostgreSQL terminates it. So every client gets a listener for its
  // whole life; its next query then fails and the pool drops it on release. The pool's own
  // 'error' event repeats, for idle clients, what that listener already saw.
  pool.on('connect', (client) => client.on('error', onPoolError));
  pool.on('error', () => undefined);
  return new PostgresDialect({ pool });
}
