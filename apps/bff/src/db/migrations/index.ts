import type { Migration } from 'kysely';
import { initialMigration } from './0001-initial';

/** Migrations in order; names are permanent once released. Same set for SQLite and PostgreSQL. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initialMigration,
};
