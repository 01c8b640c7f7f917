import type { Kysely } from 'kysely';
import type { OutboxJobStatus } from './outbox-job';
import type { OutboxDatabase } from './outbox-table';

/** A pending job the claim skips because its predecessor is not delivered yet. */
export interface HeldOutboxJob {
  id: string;
  kind: string;
  dedupeKey: string;
  createdAt: string;
  predecessor: { id: string; dedupeKey: string; status: Exclude<OutboxJobStatus, 'delivered'>; attempts: number; lastError: string | null };
}

/**
 * Operator view: jobs held back by their predecessor, with that predecessor's state. A held job
 * behind a `dead` predecessor moves only after a person fixes the cause and re-queues the
 * predecessor (retryDeadOutboxJob); behind a pending or delivering one it just waits its turn.
 * Ids, keys and codes only (no payloads).
 */
export async function listHeldOutboxJobs(db: Kysely<OutboxDatabase>, options: { kind?: string; limit?: number } = {}): Promise<HeldOutboxJob[]> {
  let query = db
    .selectFrom('outbox_jobs as job')
    .innerJoin('outbox_jobs as predecessor', (join) =>
      join.onRef('predecessor.kind', '=', 'job.kind').onRef('predecessor.dedupe_key', '=', 'job.after_dedupe_key'),
    )
    .select([
      'job.id as id',
      'job.kind as kind',
      'job.dedupe_key as dedupeKey',
      'job.created_at as createdAt',
      'predecessor.id as predecessorId',
      'predecessor.dedupe_key as predecessorDedupeKey',
      'predecessor.status as predecessorStatus',
      'predecessor.attempts as predecessorAttempts',
      'predecessor.last_error as predecessorLastError',
    ])
    .where('job.status', '=', 'pending')
    .where('predecessor.status', '<>', 'delivered')
    .orderBy('job.created_at')
    .limit(options.limit ?? 100);
  if (options.kind !== undefined) query = query.where('job.kind', '=', options.kind);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    dedupeKey: row.dedupeKey,
    createdAt: row.createdAt,
    predecessor: {
      id: row.predecessorId,
      dedupeKey: row.predecessorDedupeKey,
      status: row.predecessorStatus as Exclude<OutboxJobStatus, 'delivered'>,
      // PostgreSQL may hand integers back as strings.
      attempts: Number(row.predecessorAttempts),
      lastError: row.predecessorLastError,
    },
  }));
}
