import type { Kysely } from 'kysely';
import type { OutboxDatabase } from './outbox-table';

/** Operator action: put a dead job back to pending with a fresh attempt budget. */
export async function retryDeadOutboxJob(db: Kysely<OutboxDatabase>, id: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable('outbox_jobs')
    .set({ status: 'pending', attempts: 0, next_attempt_at: at, updated_at: at, locked_by: null, locked_until: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
