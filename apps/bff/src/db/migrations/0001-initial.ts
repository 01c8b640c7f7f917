import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Initial schema. Only types both SQLite and PostgreSQL understand (text, integer, bigint);
 * uniqueness that money depends on is a constraint, not an application check.
 */
export const initialMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('openid', 'text', (col) => col.notNull().unique())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('last_login_at', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('products')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('description', 'text', (col) => col.notNull())
      .addColumn('price_fen', 'bigint', (col) => col.notNull().check(sql`price_fen >= 1`))
      .addColumn('image_url', 'text')
      .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1))
      .addColumn('sort_order', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('appliance_id', 'integer')
      .addColumn('brand', 'text')
      .addColumn('energy_grade', 'text')
      .execute();

    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
      .addColumn('out_trade_no', 'text', (col) => col.notNull().unique())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('app_id', 'text', (col) => col.notNull())
      .addColumn('mch_id', 'text', (col) => col.notNull())
      .addColumn('sign_type', 'text', (col) => col.notNull())
      .addColumn('total_fen', 'bigint', (col) => col.notNull())
      .addColumn('subsidy_discount_fen', 'bigint', (col) => col.notNull())
      .addColumn('payable_fen', 'bigint', (col) => col.notNull().check(sql`payable_fen >= 1`))
      .addColumn('unifiedorder_params', 'text', (col) => col.notNull())
      .addColumn('prepay_id', 'text')
      .addColumn('prepay_expires_at', 'text')
      // One WeChat Pay transaction can pay one order only, whatever the number of processes.
      .addColumn('transaction_id', 'text', (col) => col.unique())
      .addColumn('cancel_requested', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('idempotency_key', 'text')
      .addColumn('request_fingerprint', 'text')
      .addColumn('last_failure_code', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('paid_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('close_reason', 'text')
      .addColumn('last_queried_at', 'text')
      .addColumn('sweep_lease_until', 'text')
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addUniqueConstraint('orders_user_idempotency_key', ['user_id', 'idempotency_key'])
      .execute();
    await db.schema.createIndex('orders_user_created').on('orders').columns(['user_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('orders_status_created').on('orders').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('order_items')
      .addColumn('order_id', 'text', (col) => col.notNull().references('orders.id'))
      .addColumn('line_no', 'integer', (col) => col.notNull())
      .addColumn('product_id', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('quantity', 'integer', (col) => col.notNull())
      .addColumn('unit_price_fen', 'bigint', (col) => col.notNull())
      .addColumn('subsidy_discount_fen', 'bigint', (col) => col.notNull())
      .addColumn('appliance_id', 'integer')
      .addColumn('brand', 'text')
      .addColumn('energy_grade', 'text')
      .addPrimaryKeyConstraint('order_items_pk', ['order_id', 'line_no'])
      .execute();

    await db.schema
      .createTable('order_subsidies')
      .addColumn('order_id', 'text', (col) => col.primaryKey().references('orders.id'))
      .addColumn('identity_document_type', 'text', (col) => col.notNull())
      .addColumn('receive_region_code', 'text', (col) => col.notNull())
      .addColumn('qualification_region_code', 'integer', (col) => col.notNull())
      .addColumn('pii_sealed', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('pay_notifications')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('order_id', 'text', (col) => col.references('orders.id'))
      .addColumn('out_trade_no', 'text', (col) => col.notNull())
      .addColumn('transaction_id', 'text')
      .addColumn('outcome', 'text', (col) => col.notNull())
      .addColumn('err_code', 'text')
      .addColumn('applied', 'integer', (col) => col.notNull())
      .addColumn('raw_body', 'text', (col) => col.notNull())
      .addColumn('received_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('pay_notifications_out_trade_no').on('pay_notifications').column('out_trade_no').execute();

    await db.schema
      .createTable('order_events')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('order_id', 'text', (col) => col.notNull().references('orders.id'))
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('detail', 'text', (col) => col.notNull())
      .addColumn('at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('order_events_order').on('order_events').column('order_id').execute();
  },
};
