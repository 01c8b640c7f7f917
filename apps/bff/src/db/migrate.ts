import type { Kysely, MigrationProvider } from 'kysely';
import { Migrator } from 'kysely';
import type { Database } from './schema';
import { migrations } from './migrations/index';

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/**
 * Brings the schema up to date. Kysely's migrator takes a lock, so concurrent starts are safe.
 * Unordered: a database that already ran the outbox's 01xx migrations still gets a later-added
 * 00xx one (applied in name order among the pending ones) instead of refusing to start.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}`, { cause: error });
  }
}
