import { randomBytes } from 'node:crypto';
import { Kysely, Migrator, PostgresDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimOutboxJobs } from './claim-outbox-jobs';
import { enqueueOutboxJob } from './enqueue-outbox-job';
import { OUTBOX_MIGRATION_NAME, outboxMigration } from './outbox-migration';
import type { OutboxDatabase } from './outbox-table';
import { createOutboxWorker } from './outbox-worker';
import { captureLogger } from '../test-support/capture-logger';

/**
 * The same outbox on PostgreSQL (BIGINT as strings, FOR UPDATE SKIP LOCKED). Runs when
 * OUTBOX_TEST_DATABASE_URL, or else TEST_DATABASE_URL (the server CI may share with test/*),
 * points at a disposable database, e.g. from `pnpm --filter @checkout/test-postgres start`; each
 * run uses its own schema. It cannot start a server itself: apps/bff must not depend on test/*.
 */
const url = process.env.OUTBOX_TEST_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
const schema = `outbox_test_${randomBytes(4).toString('hex')}`;
let db: Kysely<OutboxDatabase>;

const open = (): Kysely<OutboxDatabase> =>
  new Kysely<OutboxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 8, options: `-c search_path=${schema}` }) }) });

describe.skipIf(url === undefined)('outbox on PostgreSQL', () => {
  beforeAll(async () => {
    db = open();
    await sql`create schema ${sql.id(schema)}`.execute(db);
    const migrations: Record<string, Migration> = { [OUTBOX_MIGRATION_NAME]: outboxMigration };
    const { error } = await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error('migration failed');
  });
  afterAll(async () => {
    if (db === undefined) return;
    await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
  });

  const t0 = new Date('2026-11-25T00:00:00Z');

  it('enqueues once per dedupe key, inside the caller transaction', async () => {
    const first = await db.transaction().execute((trx) => enqueueOutboxJob(trx, { kind: 'k', dedupeKey: 'a', payload: { x: 1 } }, { now: t0 }));
    const again = await enqueueOutboxJob(db, { kind: 'k', dedupeKey: 'a', payload: { x: 2 } }, { now: t0 });
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueOutboxJob(trx, { kind: 'k', dedupeKey: 'rolled-back', payload: {} }, { now: t0 });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect([first.enqueued, again.enqueued]).toEqual([true, false]);
    expect(await db.selectFrom('outbox_jobs').select('dedupe_key').execute()).toEqual([{ dedupe_key: 'a' }]);
  });

  it('concurrent claims on several connections (SKIP LOCKED) are disjoint', async () => {
    for (let i = 0; i < 60; i += 1) await enqueueOutboxJob(db, { kind: 'c', dedupeKey: `c${i}`, payload: { i } }, { now: t0 });
    const others = [open(), open()];
    try {
      const results = await Promise.all(
        [db, ...others].flatMap((conn, w) =>
          [0, 1, 2, 3].map((r) => claimOutboxJobs(conn, { dialect: 'postgres', workerId: `w${w}.${r}`, now: new Date(t0.getTime() + 1), leaseMs: 60_000, limit: 5 })),
        ),
      );
      const ids = results.flat().map((job) => job.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(60);
      expect(results.flat().every((job) => job.attempts === 1)).toBe(true);
    } finally {
      await Promise.all(others.map((conn) => conn.destroy()));
    }
  });

  it('a worker delivers, retries with backoff and reports depth with BIGINT columns', async () => {
    let now = t0.getTime() + 120_000;
    let calls = 0;
    const worker = createOutboxWorker(
      { dialect: 'postgres', maxAttempts: 3, backoff: { baseMs: 1000, maxMs: 1000 } },
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
    await db.deleteFrom('outbox_jobs').where('kind', '!=', 'd').execute();
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
    now += 1000;
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await worker.depth()).toMatchObject({ pending: 0, delivering: 0, delivered: 1 });
  });
});
