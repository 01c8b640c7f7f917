import type { Migration } from 'kysely';

/**
 * Mini-program shipping management (发货信息管理) and the access_token it needs. Additive:
 * - `products.fulfillment`: courier / virtual / pickup; existing products default to courier, so
 *   nothing is reported as shipped before an operator says so.
 * - `order_shipping`: one row per paid order (created in the paid transaction, or by the first
 *   shipment of an order paid before this table existed): fulfillment, status, receipt as WeChat reported it.
 * - `shipments`: each upload to WeChat (virtual goods: one at payment; courier: one per operator
 *   record), its parcels (contacts masked) and the upload_time fixed when it was recorded.
 * - `wechat_access_tokens`: the mini-program's stable access_token, sealed, shared by every
 *   instance, refreshed by one instance at a time (lease).
 */
export const shippingMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('products').addColumn('fulfillment', 'text', (col) => col.notNull().defaultTo('courier')).execute();
    await db.schema
      .createTable('order_shipping')
      .addColumn('order_id', 'text', (col) => col.primaryKey().references('orders.id'))
      .addColumn('out_trade_no', 'text', (col) => col.notNull().unique())
      .addColumn('fulfillment', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('parcel_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('shipment_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('received_at', 'text')
      .addColumn('confirm_receive_method', 'integer')
      .addColumn('settlement_time', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createTable('shipments')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('order_id', 'text', (col) => col.notNull().references('orders.id'))
      .addColumn('sequence', 'integer', (col) => col.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('request_fingerprint', 'text')
      .addColumn('parcels', 'text', (col) => col.notNull())
      .addColumn('completes_delivery', 'integer', (col) => col.notNull())
      .addColumn('upload_time', 'text', (col) => col.notNull())
      .addColumn('job_dedupe_key', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addUniqueConstraint('shipments_order_sequence', ['order_id', 'sequence'])
      .addUniqueConstraint('shipments_order_idempotency_key', ['order_id', 'idempotency_key'])
      .execute();
    await db.schema
      .createTable('wechat_access_tokens')
      .addColumn('app_id', 'text', (col) => col.primaryKey())
      .addColumn('sealed_token', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('lease_holder', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('refreshed_at', 'text')
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('wechat_access_tokens').execute();
    await db.schema.dropTable('shipments').execute();
    await db.schema.dropTable('order_shipping').execute();
    await db.schema.alterTable('products').dropColumn('fulfillment').execute();
  },
};
