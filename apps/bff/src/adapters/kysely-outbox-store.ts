import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { OutboxJobInput, OutboxStore } from '../domain/ports/outbox-store';
import { enqueueOutboxJob } from '../outbox/enqueue-outbox-job';

/** The outbox through the given handle: the caller's transaction inside a unit of work. */
export class KyselyOutboxStore implements OutboxStore {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  enqueue(job: OutboxJobInput, options: { now: Date; dead?: { error: string } }): Promise<{ enqueued: boolean }> {
    return enqueueOutboxJob(this.db, job, options);
  }

  async has(kind: string, dedupeKey: string): Promise<boolean> {
    const row = await this.db.selectFrom('outbox_jobs').select('id').where('kind', '=', kind).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
    return row !== undefined;
  }
}
