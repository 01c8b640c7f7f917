import type { Migration } from 'kysely';

/**
 * Daily reconciliation against WeChat Pay's trade bill: one run per (merchant, Beijing day),
 * leased by one instance at a time; each discrepancy stored once per day (`dedupe_key`), so a
 * rerun adds nothing. Amounts in fen.
 */
export const reconciliationMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('reconciliation_runs')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('bill_date', 'text', (col) => col.notNull())
      .addColumn('mch_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'text')
      .addColumn('leased_by', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('totals', 'text')
      .addColumn('discrepancies', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addUniqueConstraint('reconciliation_runs_day', ['mch_id', 'bill_date'])
      .execute();
    await db.schema
      .createTable('reconciliation_discrepancies')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('run_id', 'text', (col) => col.notNull().references('reconciliation_runs.id'))
      .addColumn('bill_date', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('dedupe_key', 'text', (col) => col.notNull().unique())
      .addColumn('out_trade_no', 'text', (col) => col.notNull())
      .addColumn('transaction_id', 'text')
      .addColumn('out_refund_no', 'text')
      .addColumn('our_fen', 'bigint')
      .addColumn('bill_fen', 'bigint')
      .addColumn('detail', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('resolution_note', 'text')
      .addColumn('detected_at', 'text', (col) => col.notNull())
      .addColumn('resolved_at', 'text')
      .execute();
    await db.schema.createIndex('reconciliation_discrepancies_status').on('reconciliation_discrepancies').columns(['status', 'detected_at']).execute();
    // The day's own payments and refunds are read in keyset pages over these.
    await db.schema.createIndex('orders_paid_at').on('orders').columns(['paid_at', 'id']).execute();
    await db.schema.createIndex('refunds_created_at').on('refunds').columns(['created_at', 'id']).execute();
  },
  async down(db) {
    await db.schema.dropIndex('refunds_created_at').execute();
    await db.schema.dropIndex('orders_paid_at').execute();
    await db.schema.dropTable('reconciliation_discrepancies').execute();
    await db.schema.dropTable('reconciliation_runs').execute();
  },
};
