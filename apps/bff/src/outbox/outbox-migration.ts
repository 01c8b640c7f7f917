import { sql, type Migration } from 'kysely';

/**
 * Creates `outbox_jobs`. Portable DDL (runs on SQLite and PostgreSQL): text ids, ISO-8601 UTC
 * text instants (as in the rest of the schema), JSON as text. The unique (kind, dedupe_key) constraint is what makes a second
 * enqueue of the same fact, e.g. (out_trade_no, cate_state), a no-op.
 */
export const outboxMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('outbox_jobs')
      .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('kind', 'varchar(64)', (col) => col.notNull())
      .addColumn('dedupe_key', 'varchar(255)', (col) => col.notNull())
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('status', 'varchar(16)', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (col) => col.notNull())
      .addColumn('last_error', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('locked_by', 'varchar(128)')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addColumn('delivered_at', 'text')
      .addUniqueConstraint('outbox_jobs_kind_dedupe_key_unique', ['kind', 'dedupe_key'])
      .addCheckConstraint('outbox_jobs_status_check', sql`status in ('pending', 'delivering', 'delivered', 'dead')`)
      .execute();
    // The claim query scans due jobs by status and time.
    await db.schema.createIndex('outbox_jobs_status_next_attempt_idx').on('outbox_jobs').columns(['status', 'next_attempt_at']).execute();
  },
  async down(db) {
    await db.schema.dropTable('outbox_jobs').execute();
  },
};

/** Name to register it under in the BFF's migration provider (sorted after the core tables). */
export const OUTBOX_MIGRATION_NAME = '0100_outbox_jobs';
