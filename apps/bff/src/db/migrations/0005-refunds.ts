import { sql, type Migration } from 'kysely';

/**
 * Refunds. Each row is stored (with its out_refund_no) before WeChat Pay is called and reused on
 * every retry. On the order:
 * - `refund_held_fen`: what the order's own payment has refunded or is refunding (refunds in
 *   requested, processing, succeeded or abnormal); a CHECK keeps it within what was paid, so no
 *   code path, concurrent or not, can give back more than was taken;
 * - `refunded_fen`: what has reached the buyer (succeeded);
 * - `refund_count`: rows in `refunds` (so reading an order without refunds costs no query).
 * Refunds of a second payment of an order (a double payment) name their anomaly, once each.
 */
export const refundsMigration: Migration = {
  async up(db) {
    await db.schema
      .alterTable('orders')
      .addColumn('refund_held_fen', 'bigint', (col) => col.notNull().defaultTo(0).check(sql`refund_held_fen >= 0 and refund_held_fen <= payable_fen`))
      .execute();
    await db.schema
      .alterTable('orders')
      .addColumn('refunded_fen', 'bigint', (col) => col.notNull().defaultTo(0).check(sql`refunded_fen >= 0 and refunded_fen <= payable_fen`))
      .execute();
    await db.schema.alterTable('orders').addColumn('refund_count', 'integer', (col) => col.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('refunds')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('order_id', 'text', (col) => col.notNull().references('orders.id'))
      .addColumn('out_trade_no', 'text', (col) => col.notNull())
      .addColumn('transaction_id', 'text', (col) => col.notNull())
      .addColumn('out_refund_no', 'text', (col) => col.notNull().unique())
      .addColumn('refund_id', 'text')
      .addColumn('total_fen', 'bigint', (col) => col.notNull())
      .addColumn('refund_fen', 'bigint', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('reason', 'text')
      .addColumn('anomaly_id', 'text', (col) => col.references('payment_anomalies.id').unique())
      .addColumn('idempotency_key', 'text')
      .addColumn('last_error', 'text')
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('received_by', 'text')
      .addColumn('succeeded_at', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addCheckConstraint('refunds_amount', sql`refund_fen > 0 and refund_fen <= total_fen`)
      .addUniqueConstraint('refunds_idempotency_key', ['order_id', 'idempotency_key'])
      .execute();
    await db.schema.createIndex('refunds_order').on('refunds').columns(['order_id', 'created_at']).execute();
    await db.schema.createIndex('refunds_due').on('refunds').columns(['status', 'next_attempt_at']).execute();
  },
  async down(db) {
    await db.schema.dropTable('refunds').execute();
    await db.schema.alterTable('orders').dropColumn('refund_count').execute();
    await db.schema.alterTable('orders').dropColumn('refunded_fen').execute();
    await db.schema.alterTable('orders').dropColumn('refund_held_fen').execute();
  },
};
