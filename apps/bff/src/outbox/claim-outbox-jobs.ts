import type { Kysely, Selectable } from 'kysely';
import type { ClaimedOutboxJob } from './outbox-job';
import type { OutboxDatabase, OutboxJobsTable } from './outbox-table';

export type OutboxDialect = 'sqlite' | 'postgres';

export interface ClaimOptions {
  dialect: OutboxDialect;
  workerId: string;
  now: Date;
  leaseMs: number;
  limit: number;
}

/**
 * Leases up to `limit` due jobs to `workerId` in one statement: pending jobs whose time has come,
 * and `delivering` jobs whose lease ran out (their worker died mid-delivery). Counts the attempt
 * now, so a job that kills its worker still reaches the dead-letter state.
 * A job naming a predecessor (`after_dedupe_key`) is skipped while a job of the same kind with
 * that dedupe key exists and is not `delivered`; it is claimed in a later poll once that one is.
 * SQLite runs the UPDATE under its single write lock; on PostgreSQL the inner SELECT takes
 * `FOR UPDATE SKIP LOCKED`, so concurrent workers claim disjoint sets without waiting. The
 * predecessor check is a plain read (not locked): at worst it sees a predecessor that is being
 * marked delivered as not yet delivered, and the job waits one more poll; never the reverse.
 */
export async function claimOutboxJobs(db: Kysely<OutboxDatabase>, options: ClaimOptions): Promise<ClaimedOutboxJob[]> {
  const now = options.now.toISOString();
  const lockedUntil = new Date(options.now.getTime() + options.leaseMs).toISOString();
  let due = db
    .selectFrom('outbox_jobs as job')
    .select('job.id')
    .where((eb) =>
      eb.and([
        eb.or([
          eb.and([eb('job.status', '=', 'pending'), eb('job.next_attempt_at', '<=', now)]),
          eb.and([eb('job.status', '=', 'delivering'), eb('job.locked_until', '<', now)]),
        ]),
        // Held back while its predecessor exists and is not delivered (a missing one holds nothing).
        eb.not(
          eb.exists(
            eb
              .selectFrom('outbox_jobs as predecessor')
              .select(eb.lit(1).as('one'))
              .whereRef('predecessor.kind', '=', 'job.kind')
              .whereRef('predecessor.dedupe_key', '=', 'job.after_dedupe_key')
              .where('predecessor.status', '<>', 'delivered'),
          ),
        ),
      ]),
    )
    .orderBy('job.next_attempt_at')
    .limit(options.limit);
  if (options.dialect === 'postgres') due = due.forUpdate().skipLocked();

  const rows = await db
    .updateTable('outbox_jobs')
    .set((eb) => ({
      status: 'delivering',
      locked_by: options.workerId,
      locked_until: lockedUntil,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(toClaimedJob);
}

function toClaimedJob(row: Selectable<OutboxJobsTable>): ClaimedOutboxJob {
  return {
    id: row.id,
    kind: row.kind,
    dedupeKey: row.dedupe_key,
    payload: JSON.parse(row.payload) as unknown,
    attempts: Number(row.attempts),
    createdAt: new Date(row.created_at),
  };
}
