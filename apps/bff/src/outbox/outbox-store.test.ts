import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimOutboxJobs } from './claim-outbox-jobs';
import { enqueueOutboxJob } from './enqueue-outbox-job';
import type { OutboxDatabase } from './outbox-table';
import { listHeldOutboxJobs } from './list-held-outbox-jobs';
import { createOutboxWorker } from './outbox-worker';
import { retryDeadOutboxJob } from './retry-dead-outbox-job';
import { captureLogger } from '../../test-support/capture-logger';
import { openOutboxTestDatabase } from '../../test-support/outbox-test-database';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';

/** The BFF's own schema extends OutboxDatabase; enqueue must accept its transactions. */
interface AppDatabase extends OutboxDatabase {
  orders: { id: string; status: string };
}

const t0 = new Date('2026-11-25T00:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);

afterAll(releaseTestPostgres);

// The same store on both databases: SQLite claims under its single write lock, PostgreSQL with
// FOR UPDATE SKIP LOCKED (and hands counts back as strings), so each needs its own proof.
describe.each(testBackends)('outbox store on %s', (dialect) => {
  let database: FreshDatabase;
  let db: Kysely<OutboxDatabase>;

  beforeEach(async () => {
    database = await freshDatabase(dialect, 'outbox_store');
    db = await openOutboxTestDatabase(database.config);
    await db.schema.createTable('orders').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('status', 'text').execute();
  });
  afterEach(async () => {
    await db.destroy();
    database.drop();
  });

  const job = (dedupeKey: string) => ({ kind: 'test', dedupeKey, payload: { n: dedupeKey } });

  describe('enqueueOutboxJob', () => {
    it('commits and rolls back with the caller transaction', async () => {
      const app = db as unknown as Kysely<AppDatabase>;
      await app.transaction().execute(async (trx) => {
        await trx.insertInto('orders').values({ id: 'o1', status: 'paid' }).execute();
        await enqueueOutboxJob(trx, job('o1:REDEEM'), { now: t0 });
      });
      await expect(
        app.transaction().execute(async (trx) => {
          await trx.insertInto('orders').values({ id: 'o2', status: 'paid' }).execute();
          await enqueueOutboxJob(trx, job('o2:REDEEM'), { now: t0 });
          throw new Error('business step failed');
        }),
      ).rejects.toThrow('business step failed');
      const rows = await db.selectFrom('outbox_jobs').select(['dedupe_key', 'status', 'attempts']).execute();
      expect(rows).toEqual([{ dedupe_key: 'o1:REDEEM', status: 'pending', attempts: 0 }]);
    });

    it('ignores a second job for the same (kind, dedupe key), whatever the first one became', async () => {
      expect(await enqueueOutboxJob(db, job('k'), { now: t0 })).toEqual({ enqueued: true });
      expect(await enqueueOutboxJob(db, job('k'), { now: t0 })).toEqual({ enqueued: false });
      await db.updateTable('outbox_jobs').set({ status: 'delivered' }).execute();
      expect(await enqueueOutboxJob(db, job('k'), { now: t0 })).toEqual({ enqueued: false });
      expect(await enqueueOutboxJob(db, { ...job('k'), kind: 'other' }, { now: t0 })).toEqual({ enqueued: true });
    });
  });

  describe('claimOutboxJobs', () => {
    const claim = (workerId: string, now: Date, limit = 10) => claimOutboxJobs(db, { dialect, workerId, now, leaseMs: 60_000, limit });

    it('leases due jobs to one worker, oldest first; others get only what is left', async () => {
      // Distinct due times: neither database promises an order among equal ones.
      for (const [i, key] of ['a', 'b', 'c'].entries()) await enqueueOutboxJob(db, job(key), { now: at(i) });
      await enqueueOutboxJob(db, job('later'), { now: at(10_000) });
      const first = await claim('w1', at(3), 2);
      const second = await claim('w2', at(4));
      expect(first.map((j) => j.dedupeKey).sort()).toEqual(['a', 'b']);
      expect(second.map((j) => j.dedupeKey)).toEqual(['c']);
      expect(first[0]).toMatchObject({ kind: 'test', attempts: 1, payload: { n: first[0]?.dedupeKey } });
      expect(await claim('w3', at(5))).toEqual([]);
      expect((await claim('w3', at(10_000))).map((j) => j.dedupeKey)).toEqual(['later']);
    });

    it('concurrent claims from separate connections never hand one job to two workers', async () => {
      for (let i = 0; i < 50; i += 1) await enqueueOutboxJob(db, job(`j${i}`), { now: t0 });
      // One connection (SQLite) or pool (PostgreSQL) per "process", as several BFF processes have.
      const others = await Promise.all(Array.from({ length: 4 }, () => openOutboxTestDatabase(database.config)));
      try {
        const results = await Promise.all(
          [db, ...others].flatMap((conn, w) =>
            [0, 1].map((round) => claimOutboxJobs(conn, { dialect, workerId: `w${w}.${round}`, now: at(1), leaseMs: 60_000, limit: 4 })),
          ),
        );
        const ids = results.flat().map((j) => j.id);
        expect(ids.length).toBe(40);
        expect(new Set(ids).size).toBe(40);
        expect(results.flat().every((j) => j.attempts === 1)).toBe(true);
      } finally {
        await Promise.all(others.map((conn) => conn.destroy()));
      }
    });

    it('takes over a job whose worker died mid-delivery once the lease has run out', async () => {
      await enqueueOutboxJob(db, job('x'), { now: t0 });
      expect(await claim('dead-worker', at(1))).toHaveLength(1);
      expect(await claim('w2', at(60_000))).toEqual([]);
      const [taken] = await claim('w2', at(60_002));
      expect(taken).toMatchObject({ dedupeKey: 'x', attempts: 2 });
      const row = await db.selectFrom('outbox_jobs').select(['locked_by', 'status']).executeTakeFirstOrThrow();
      expect(row).toEqual({ locked_by: 'w2', status: 'delivering' });
    });
  });

  describe('jobs that name a predecessor (after)', () => {
    const claim = (workerId: string, now: Date, limit = 10) => claimOutboxJobs(db, { dialect, workerId, now, leaseMs: 60_000, limit });
    const markPredecessor = (status: 'delivered' | 'dead') => db.updateTable('outbox_jobs').set({ status, locked_by: null, locked_until: null }).where('dedupe_key', '=', 'o1:REDEEM').execute();

    it('is not claimed while its predecessor is pending, in backoff or delivering; is once the predecessor is delivered', async () => {
      await enqueueOutboxJob(db, job('o1:REDEEM'), { now: at(0), id: 'redeem' });
      await enqueueOutboxJob(db, { ...job('o1:REFUND'), after: 'o1:REDEEM' }, { now: at(1), id: 'refund' });
      // Both due: only the predecessor is handed out, however large the batch.
      expect((await claim('w1', at(2))).map((j) => j.id)).toEqual(['redeem']);
      // Predecessor delivering (leased): still held.
      expect(await claim('w2', at(3))).toEqual([]);
      // Predecessor back in backoff (not due for an hour): still held although the job itself is due.
      await db.updateTable('outbox_jobs').set({ status: 'pending', next_attempt_at: at(3_600_000).toISOString(), locked_by: null, locked_until: null }).where('id', '=', 'redeem').execute();
      expect(await claim('w2', at(4))).toEqual([]);
      expect((await db.selectFrom('outbox_jobs').select(['id', 'status', 'attempts']).where('id', '=', 'refund').executeTakeFirstOrThrow())).toEqual({ id: 'refund', status: 'pending', attempts: 0 });
      await markPredecessor('delivered');
      const [refund] = await claim('w2', at(5));
      expect(refund).toMatchObject({ id: 'refund', dedupeKey: 'o1:REFUND', attempts: 1 });
    });

    it('a dead predecessor holds it back, visibly, until an operator re-queues the predecessor and it is delivered', async () => {
      await enqueueOutboxJob(db, job('o1:REDEEM'), { now: at(0), id: 'redeem' });
      await enqueueOutboxJob(db, { ...job('o1:REFUND'), after: 'o1:REDEEM' }, { now: at(1), id: 'refund' });
      await db.updateTable('outbox_jobs').set({ status: 'dead', attempts: 12, last_error: 'HTTP_500' }).where('id', '=', 'redeem').execute();
      expect(await claim('w1', at(10_000_000))).toEqual([]);
      expect(await listHeldOutboxJobs(db)).toEqual([
        {
          id: 'refund',
          kind: 'test',
          dedupeKey: 'o1:REFUND',
          createdAt: at(1).toISOString(),
          predecessor: { id: 'redeem', dedupeKey: 'o1:REDEEM', status: 'dead', attempts: 12, lastError: 'HTTP_500' },
        },
      ]);
      expect(await retryDeadOutboxJob(db, 'redeem', at(10_000_000))).toBe(true);
      // Re-queued predecessor first; the held job only after it is delivered.
      expect((await claim('w1', at(10_000_001))).map((j) => j.id)).toEqual(['redeem']);
      await markPredecessor('delivered');
      expect(await listHeldOutboxJobs(db)).toEqual([]);
      expect((await claim('w1', at(10_000_002))).map((j) => j.id)).toEqual(['refund']);
    });

    it('a predecessor that does not exist, or exists only under another kind, holds nothing back', async () => {
      await enqueueOutboxJob(db, { ...job('o2:REFUND'), after: 'o2:REDEEM' }, { now: at(0), id: 'orphan' });
      await enqueueOutboxJob(db, { ...job('o3:REDEEM'), kind: 'other' }, { now: at(0), id: 'other-kind' });
      await db.updateTable('outbox_jobs').set({ status: 'dead' }).where('id', '=', 'other-kind').execute();
      await enqueueOutboxJob(db, { ...job('o3:REFUND'), after: 'o3:REDEEM' }, { now: at(1), id: 'cross-kind' });
      expect((await claim('w1', at(2))).map((j) => j.id).sort()).toEqual(['cross-kind', 'orphan']);
      expect(await listHeldOutboxJobs(db)).toEqual([]);
    });

    it('concurrent workers never hand out a held job, and hand it out exactly once after its predecessor', async () => {
      for (let i = 0; i < 20; i += 1) {
        await enqueueOutboxJob(db, job(`o${i}:REDEEM`), { now: at(0) });
        await enqueueOutboxJob(db, { ...job(`o${i}:REFUND`), after: `o${i}:REDEEM` }, { now: at(0) });
      }
      const others = await Promise.all(Array.from({ length: 3 }, () => openOutboxTestDatabase(database.config)));
      const claimAll = (now: Date) =>
        Promise.all([db, ...others].map((conn, w) => claimOutboxJobs(conn, { dialect, workerId: `w${w}`, now, leaseMs: 60_000, limit: 10 })));
      try {
        const first = (await claimAll(at(1))).flat();
        expect(first.map((j) => j.dedupeKey).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `o${i}:REDEEM`).sort());
        await db.updateTable('outbox_jobs').set({ status: 'delivered', locked_by: null, locked_until: null }).where('status', '=', 'delivering').execute();
        const second = (await claimAll(at(2))).flat();
        expect(second.map((j) => j.dedupeKey).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `o${i}:REFUND`).sort());
      } finally {
        await Promise.all(others.map((conn) => conn.destroy()));
      }
    });
  });

  describe('retryDeadOutboxJob', () => {
    it('puts only dead jobs back to pending with a fresh budget', async () => {
      await enqueueOutboxJob(db, job('d'), { now: t0, id: 'job-d' });
      expect(await retryDeadOutboxJob(db, 'job-d', at(1))).toBe(false);
      await db.updateTable('outbox_jobs').set({ status: 'dead', attempts: 12 }).execute();
      expect(await retryDeadOutboxJob(db, 'job-d', at(1))).toBe(true);
      expect(await db.selectFrom('outbox_jobs').select(['status', 'attempts']).executeTakeFirstOrThrow()).toEqual({ status: 'pending', attempts: 0 });
    });
  });

  describe('outbox worker bookkeeping', () => {
    it('delivers, retries with backoff and reports depth as numbers', async () => {
      let now = t0.getTime() + 120_000;
      let calls = 0;
      const worker = createOutboxWorker(
        { dialect, maxAttempts: 3, backoff: { baseMs: 1000, maxMs: 1000 } },
        {
          db,
          logger: captureLogger().logger,
          clock: { now: () => new Date(now) },
          random: () => 0,
          // A first failure, then success: the worker's own bookkeeping is what is under test here.
          handlers: { d: () => Promise.resolve(calls++ === 0 ? { outcome: 'retry', error: 'HTTP_503' } : { outcome: 'delivered' }) },
        },
      );
      await enqueueOutboxJob(db, { kind: 'd', dedupeKey: 'd1', payload: {} }, { now: new Date(now) });
      expect(await worker.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
      now += 1000;
      expect(await worker.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(await worker.depth()).toMatchObject({ pending: 0, delivering: 0, delivered: 1 });
    });
  });
});
