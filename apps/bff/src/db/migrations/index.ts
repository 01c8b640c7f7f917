import type { Migration } from 'kysely';
import { outboxMigrations } from '../../outbox/outbox-migrations';
import { initialMigration } from './0001-initial';
import { usersSessionGenerationMigration } from './0003-users-session-generation';
import { paymentIntegrityMigration } from './0004-payment-integrity';
import { refundsMigration } from './0005-refunds';
import { reconciliationMigration } from './0006-reconciliation';
import { shippingMigration } from './0007-shipping';
import { sweeperIndexMigration } from './0008-sweeper-index';

/**
 * Migrations, applied in name order; names are permanent once released. The same set runs on
 * SQLite and PostgreSQL.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': initialMigration,
  '0003-users-session-generation': usersSessionGenerationMigration,
  '0004-payment-integrity': paymentIntegrityMigration,
  '0005-refunds': refundsMigration,
  '0006-reconciliation': reconciliationMigration,
  '0007-shipping': shippingMigration,
  '0008-sweeper-index': sweeperIndexMigration,
  ...outboxMigrations,
};
