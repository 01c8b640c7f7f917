import { Kysely, Migrator, PostgresDialect, type Migration } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../src/db/create-database';
import { outboxMigrations } from '../src/outbox/outbox-migrations';
import type { OutboxDatabase } from '../src/outbox/outbox-table';
import { openSqliteOutboxDatabase } from './sqlite-outbox-database';

/**
 * A connection (SQLite) or pool (PostgreSQL) on `config` with the outbox table migrated. Call it
 * again for another "process" on the same database: the migration is then a no-op.
 */
export async function openOutboxTestDatabase(config: DatabaseConfig): Promise<Kysely<OutboxDatabase>> {
  if (config.kind === 'sqlite') return openSqliteOutboxDatabase(config.path);
  const db = new Kysely<OutboxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.url, max: 8 }) }) });
  const migrations: Record<string, Migration> = { ...outboxMigrations };
  const { error } = await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error('outbox migration failed');
  }
  return db;
}
