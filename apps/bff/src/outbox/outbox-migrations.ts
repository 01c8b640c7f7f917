import type { Migration } from 'kysely';
import { OUTBOX_AFTER_DEDUPE_KEY_MIGRATION_NAME, outboxAfterDedupeKeyMigration } from './outbox-after-dedupe-key-migration';
import { OUTBOX_MIGRATION_NAME, outboxMigration } from './outbox-migration';

/**
 * Every migration of `outbox_jobs`, by the name it is registered under. Spread this into a
 * migration provider (the BFF's list, the outbox test databases) so none is forgotten.
 */
export const outboxMigrations: Readonly<Record<string, Migration>> = {
  [OUTBOX_MIGRATION_NAME]: outboxMigration,
  [OUTBOX_AFTER_DEDUPE_KEY_MIGRATION_NAME]: outboxAfterDedupeKeyMigration,
};
