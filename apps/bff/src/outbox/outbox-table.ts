import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { OutboxJobStatus } from './outbox-job';

/**
 * Epoch milliseconds in a BIGINT column: one representation on SQLite and PostgreSQL (where the
 * pg driver returns BIGINT as a string, hence the select type), and cheap to compare.
 */
export type EpochMs = ColumnType<number | string, number, number>;

export interface OutboxJobsTable {
  id: string;
  kind: string;
  dedupe_key: string;
  /** JSON text. */
  payload: string;
  status: OutboxJobStatus;
  attempts: Generated<number>;
  next_attempt_at: EpochMs;
  last_error: string | null;
  locked_until: ColumnType<number | string | null, number | null, number | null>;
  locked_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  delivered_at: ColumnType<number | string | null, number | null, number | null>;
}

/** Extend the BFF's Database interface with this so one Kysely instance serves both. */
export interface OutboxDatabase {
  outbox_jobs: OutboxJobsTable;
}

/**
 * The BFF's `Kysely<Database>` (Database extends OutboxDatabase) as the outbox's view of it.
 * Kysely<DB> is invariant in DB, so this one cast stands in for a subtype relation TS cannot see;
 * the outbox only ever touches `outbox_jobs`.
 */
export function asOutboxDb<DB extends OutboxDatabase>(db: Kysely<DB> | Transaction<DB>): Kysely<OutboxDatabase> {
  return db as unknown as Kysely<OutboxDatabase>;
}
