import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { OutboxJobInput } from './outbox-job';
import { asOutboxDb, type OutboxDatabase } from './outbox-table';

/**
 * Inserts a job using `db`, which should be the caller's transaction (`trx`): the job then
 * exists if and only if the business change committed. Pending unless `dead` records it as
 * undeliverable. A job with the same (kind, dedupe_key) already present makes this a no-op
 * (`enqueued: false`), whatever its status. `job.after` names a predecessor: see
 * OutboxJobInput and claimOutboxJobs.
 */
export async function enqueueOutboxJob<DB extends OutboxDatabase>(
  db: Kysely<DB> | Transaction<DB>,
  job: OutboxJobInput,
  options: { now: Date; id?: string; dead?: { error: string } },
): Promise<{ enqueued: boolean }> {
  const outbox = asOutboxDb(db);
  const at = options.now.toISOString();
  const result = await outbox
    .insertInto('outbox_jobs')
    .values({
      id: options.id ?? randomUUID(),
      kind: job.kind,
      dedupe_key: job.dedupeKey,
      payload: JSON.stringify(job.payload),
      status: options.dead ? 'dead' : 'pending',
      next_attempt_at: at,
      last_error: options.dead?.error ?? null,
      locked_until: null,
      locked_by: null,
      created_at: at,
      updated_at: at,
      delivered_at: null,
      after_dedupe_key: job.after ?? null,
    })
    .onConflict((oc) => oc.columns(['kind', 'dedupe_key']).doNothing())
    .executeTakeFirst();
  return { enqueued: Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 };
}
