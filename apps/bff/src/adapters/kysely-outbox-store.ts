import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { OutboxJobInput, OutboxStore } from '../domain/ports/outbox-store';
import { enqueueOutboxJob } from '../outbox/enqueue-outbox-job';

/** The outbox through the given handle: the caller's transaction inside a unit of work. */
export class KyselyOutboxStore implements OutboxStore {
  /** Deliverable jobs this store added: after its transaction commits, the worker is woken only if > 0. */
  pendingJobsEnqueued = 0;

  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  async enqueue(job: OutboxJobInput, options: { now: Date; dead?: { error: string } }): Promise<{ enqueued: boolean }> {
    const result = await enqueueOutboxJob(this.db, job, options);
    if (result.enqueued && !options.dead) this.pendingJobsEnqueued += 1;
    return result;
  }

  async has(kind: string, dedupeKey: string): Promise<boolean> {
    const row = await this.db.selectFrom('outbox_jobs').select('id').where('kind', '=', kind).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
    return row !== undefined;
  }
}
