import {
  createDatabase,
  createLogger,
  createOutboxWorker,
  enqueueOutboxJob,
  migrateToLatest,
  type DatabaseHandle,
  type DeliveryResult,
  type OutboxDatabase,
  type OutboxWorker,
} from '@checkout/bff';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provideTestDatabase, type TestDatabase } from '@checkout/postgres-server';
import { waitUntil } from '@checkout/postgres-server/testing/wait-until';

const JOBS = 150;
const KIND = 'multi_instance_probe';

describe('outbox workers in two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let handles: DatabaseHandle[] = [];

  beforeAll(async () => {
    database = await provideTestDatabase('outbox');
    handles = [0, 1].map(() => createDatabase({ kind: 'postgres', url: database.url, poolSize: 4 }));
    await Promise.all(handles.map((handle) => migrateToLatest(handle.db)));
  });
  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    await database?.release();
  });

  it('deliver every job exactly once when jobs were enqueued in both and both workers poll at once', async () => {
    const outbox = handles.map((handle) => handle.db as unknown as Kysely<OutboxDatabase>);
    const now = new Date();
    // Enqueued through both instances, each job also enqueued twice (the dedupe key keeps one).
    for (let i = 0; i < JOBS; i += 1) {
      const job = { kind: KIND, dedupeKey: `fact-${i}`, payload: { i } };
      await enqueueOutboxJob(outbox[i % 2] as Kysely<OutboxDatabase>, job, { now });
      expect(await enqueueOutboxJob(outbox[(i + 1) % 2] as Kysely<OutboxDatabase>, job, { now })).toEqual({ enqueued: false });
    }

    const delivered = new Map<string, string[]>();
    const attempts = new Map<string, number>();
    const handlerFor =
      (instance: string) =>
      async (job: { dedupeKey: string }): Promise<DeliveryResult> => {
        const attempt = (attempts.get(job.dedupeKey) ?? 0) + 1;
        attempts.set(job.dedupeKey, attempt);
        await new Promise((resolve) => setImmediate(resolve));
        // Every fifth job fails once: its retry may be claimed by either instance.
        if (attempt === 1 && Number(job.dedupeKey.slice('fact-'.length)) % 5 === 0) return { outcome: 'retry', error: 'HTTP_503' };
        delivered.set(job.dedupeKey, [...(delivered.get(job.dedupeKey) ?? []), instance]);
        return { outcome: 'delivered' };
      };
    const workers: OutboxWorker[] = ['instance-a', 'instance-b'].map((instance, i) =>
      createOutboxWorker(
        {
          dialect: 'postgres',
          workerId: instance,
          batchSize: 7,
          concurrency: 3,
          pollIntervalMs: 10,
          backoff: { baseMs: 1, maxMs: 5 },
          ratePerSecond: 100_000,
          burst: 1_000,
        },
        { db: outbox[i] as Kysely<OutboxDatabase>, handlers: { [KIND]: handlerFor(instance) }, logger: createLogger({ level: 'silent' }) },
      ),
    );
    for (const worker of workers) worker.start();
    try {
      await waitUntil(async () => (await workers[0]?.depth())?.delivered === JOBS, 'every job to be delivered');
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }

    expect(delivered.size).toBe(JOBS);
    expect([...delivered.entries()].filter(([, by]) => by.length !== 1)).toEqual([]);
    const byInstance = [...delivered.values()].flat();
    expect(new Set(byInstance)).toEqual(new Set(['instance-a', 'instance-b']));
    expect(await workers[1]?.depth()).toMatchObject({ pending: 0, delivering: 0, delivered: JOBS, dead: 0 });
  });
});
