import type { Migration } from 'kysely';

/**
 * Adds `outbox_jobs.after_dedupe_key`: the dedupe key of a job of the same kind that must be
 * delivered before this one is claimed (e.g. a gov sync REFUND waits for its order's REDEEM).
 * Nullable, so existing rows and jobs without a predecessor are unaffected. Portable DDL.
 */
export const outboxAfterDedupeKeyMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('outbox_jobs').addColumn('after_dedupe_key', 'varchar(255)').execute();
  },
  async down(db) {
    await db.schema.alterTable('outbox_jobs').dropColumn('after_dedupe_key').execute();
  },
};

/** Sorted after OUTBOX_MIGRATION_NAME ('0100_outbox_jobs'). */
export const OUTBOX_AFTER_DEDUPE_KEY_MIGRATION_NAME = '0101_outbox_jobs_after_dedupe_key';
