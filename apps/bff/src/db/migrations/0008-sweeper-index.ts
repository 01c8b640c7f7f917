import type { Kysely, Migration } from 'kysely';

/**
 * The sweeper's close query for failed orders: `status = 'failed' AND closed_at IS NULL`, oldest
 * first. Failed orders stay `failed` once closed (closed_at is set), so on (status, created_at)
 * every pass would walk all the failed orders ever made; with closed_at in between, the pass
 * reads only the ones still to close.
 */
export const sweeperIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('orders_status_closed_created').on('orders').columns(['status', 'closed_at', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('orders_status_closed_created').execute();
  },
};
