import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { outboxMigrations } from '../src/outbox/outbox-migrations';
import type { OutboxDatabase } from '../src/outbox/outbox-table';

/**
 * A Kysely instance on a SQLite file with the outbox table migrated: for the outbox's tests
 * and tools. The BFF uses its own database module and adds outboxMigrations to its list.
 */
export async function openSqliteOutboxDatabase(file: string): Promise<Kysely<OutboxDatabase>> {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<OutboxDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrations: Record<string, Migration> = { ...outboxMigrations };
  const { error } = await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('outbox migration failed');
  return db;
}
