import type { Migration } from 'kysely';

/**
 * - `pay_notifications.dedupe_key` (unique) + `repeat_count`: each distinct verified notification
 *   is stored once and its repeats counted, so replays cannot grow the database;
 * - `orders.paid_after_close`: a payment that landed on a closed, cancelled or failed order;
 * - `payment_anomalies`: money WeChat Pay took that the shop did not expect (a second
 *   transaction_id for a paid order, a payment after close), once per (order, kind, transaction),
 *   with a status an operator or the refund job moves on.
 * Existing notifications keep a null key (nulls never collide). Portable DDL.
 */
export const paymentIntegrityMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('pay_notifications').addColumn('dedupe_key', 'text').execute();
    await db.schema.alterTable('pay_notifications').addColumn('repeat_count', 'integer', (col) => col.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('pay_notifications_dedupe_key').unique().on('pay_notifications').column('dedupe_key').execute();
    await db.schema.alterTable('orders').addColumn('paid_after_close', 'integer', (col) => col.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('payment_anomalies')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('order_id', 'text', (col) => col.notNull().references('orders.id'))
      .addColumn('out_trade_no', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('transaction_id', 'text', (col) => col.notNull())
      .addColumn('amount_fen', 'bigint', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('detail', 'text', (col) => col.notNull())
      .addColumn('detected_at', 'text', (col) => col.notNull())
      .addUniqueConstraint('payment_anomalies_once', ['order_id', 'kind', 'transaction_id'])
      .execute();
    await db.schema.createIndex('payment_anomalies_status').on('payment_anomalies').columns(['status', 'detected_at']).execute();
  },
  async down(db) {
    await db.schema.dropTable('payment_anomalies').execute();
    await db.schema.alterTable('orders').dropColumn('paid_after_close').execute();
    await db.schema.dropIndex('pay_notifications_dedupe_key').execute();
    await db.schema.alterTable('pay_notifications').dropColumn('repeat_count').execute();
    await db.schema.alterTable('pay_notifications').dropColumn('dedupe_key').execute();
  },
};
