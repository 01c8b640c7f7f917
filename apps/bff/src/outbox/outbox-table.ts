import type { Generated, Kysely, Transaction } from 'kysely';
import type { OutboxJobStatus } from './outbox-job';

/**
 * Instants are ISO-8601 UTC text from Date#toISOString (fixed width, so text order is time
 * order), like every other table of the BFF; the same on SQLite and PostgreSQL.
 */
export interface OutboxJobsTable {
  id: string;
  kind: string;
  dedupe_key: string;
  /** JSON text. */
  payload: string;
  status: OutboxJobStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  locked_until: string | null;
  locked_by: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  /** Dedupe key of a job of the same kind that must be delivered before this one is claimed. */
  after_dedupe_key: string | null;
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
