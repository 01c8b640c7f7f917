import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { BffMetrics } from '../metrics/bff-metrics';
import { backoffDelayMs, type BackoffPolicy } from './backoff';
import { claimOutboxJobs, type OutboxDialect } from './claim-outbox-jobs';
import { outboxJobStatuses, type ClaimedOutboxJob, type DeliveryResult, type OutboxHandler } from './outbox-job';
import type { OutboxDatabase } from './outbox-table';
import { createTokenBucket, type TokenBucket } from './token-bucket';

export interface OutboxWorkerConfig {
  dialect: OutboxDialect;
  /** Attempts before a job is dead-lettered. Default 12 (≈ a day with the default backoff). */
  maxAttempts?: number;
  /** Default base 5 s, max 1 h. */
  backoff?: BackoffPolicy;
  /** How long a claim holds a job; must exceed the handler's own timeout. Default 60 s. */
  leaseMs?: number;
  /** Jobs claimed per poll. Default 20. */
  batchSize?: number;
  /** Deliveries in flight at once. Default 8. */
  concurrency?: number;
  /** Sleep between polls when there was nothing (more) to do. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Outgoing requests per second for this process. Default 95 with a burst of 5: ≤ 100 in any second. */
  ratePerSecond?: number;
  burst?: number;
  workerId?: string;
}

export interface OutboxWorkerDeps {
  db: Kysely<OutboxDatabase>;
  handlers: Readonly<Record<string, OutboxHandler>>;
  logger: Logger;
  metrics?: Pick<BffMetrics, 'outboxJobs' | 'outboxAttempts' | 'outboxDeadLetters'>;
  /** Scheduling clock (claims, leases, backoff). Default: system time. */
  clock?: { now(): Date };
  /** For jitter; default Math.random. */
  random?: () => number;
  bucket?: TokenBucket;
}

export interface OutboxRunSummary {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

export interface OutboxWorker {
  readonly workerId: string;
  /** Starts polling in the background. Idempotent. */
  start(): void;
  /** Stops polling and waits for in-flight deliveries to be recorded. */
  stop(): Promise<void>;
  /** Polls now instead of after the interval (call after committing an enqueue). */
  wake(): void;
  /** One claim-and-deliver round; used by the loop and by tests. */
  runOnce(): Promise<OutboxRunSummary>;
  /** Job counts by status (also refreshes the depth gauge). */
  depth(): Promise<Record<string, number>>;
}

export function createOutboxWorker(config: OutboxWorkerConfig, deps: OutboxWorkerDeps): OutboxWorker {
  const maxAttempts = config.maxAttempts ?? 12;
  const backoff = config.backoff ?? { baseMs: 5_000, maxMs: 3_600_000 };
  const leaseMs = config.leaseMs ?? 60_000;
  const batchSize = config.batchSize ?? 20;
  const concurrency = config.concurrency ?? 8;
  const pollIntervalMs = config.pollIntervalMs ?? 1_000;
  const workerId = config.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const clock = deps.clock ?? { now: () => new Date() };
  const random = deps.random ?? Math.random;
  const bucket = deps.bucket ?? createTokenBucket({ ratePerSecond: config.ratePerSecond ?? 95, capacity: config.burst ?? 5 });
  const { db, logger } = deps;

  let running = false;
  let loopDone: Promise<void> | null = null;
  let wakeSleeper: (() => void) | null = null;
  let wakeRequested = false;

  const deliver = async (job: ClaimedOutboxJob): Promise<DeliveryResult> => {
    if (job.attempts > maxAttempts) return { outcome: 'failed', error: 'MAX_ATTEMPTS_EXCEEDED' };
    const handler = deps.handlers[job.kind];
    if (!handler) return { outcome: 'retry', error: `NO_HANDLER:${job.kind}` };
    await bucket.take();
    try {
      return await handler(job);
    } catch (error) {
      // A handler bug: keep the job (retry → eventually dead) and log only the error class.
      const name = error instanceof Error ? error.name : 'Error';
      const code = (error as { code?: unknown }).code;
      return { outcome: 'retry', error: `HANDLER_THREW:${name}${typeof code === 'string' ? `:${code}` : ''}` };
    }
  };

  const record = async (job: ClaimedOutboxJob, result: DeliveryResult): Promise<'delivered' | 'retry' | 'dead'> => {
    const nowDate = clock.now();
    const now = nowDate.toISOString();
    const mine = db.updateTable('outbox_jobs').where('id', '=', job.id).where('status', '=', 'delivering').where('locked_by', '=', workerId);
    const error = result.outcome === 'delivered' ? null : result.error;
    let verdict: 'delivered' | 'retry' | 'dead';
    let updated: { numUpdatedRows: bigint };
    if (result.outcome === 'delivered') {
      verdict = 'delivered';
      updated = await mine
        .set({ status: 'delivered', delivered_at: now, updated_at: now, locked_by: null, locked_until: null, last_error: null })
        .executeTakeFirst();
    } else if (result.outcome === 'failed' || job.attempts >= maxAttempts) {
      verdict = 'dead';
      updated = await mine.set({ status: 'dead', updated_at: now, locked_by: null, locked_until: null, last_error: error }).executeTakeFirst();
    } else {
      verdict = 'retry';
      const delay = Math.max(backoffDelayMs(backoff, job.attempts, random()), result.retryAfterMs ?? 0);
      updated = await mine
        .set({ status: 'pending', next_attempt_at: new Date(nowDate.getTime() + delay).toISOString(), updated_at: now, locked_by: null, locked_until: null, last_error: result.error })
        .executeTakeFirst();
    }
    if (updated.numUpdatedRows === 0n) {
      // Our lease expired and another worker took the job over; its outcome will be recorded there.
      logger.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts }, 'outbox lease lost before the result was recorded');
      return verdict;
    }
    deps.metrics?.outboxAttempts.inc({ kind: job.kind, result: verdict });
    if (verdict === 'dead') {
      deps.metrics?.outboxDeadLetters.inc({ kind: job.kind });
      // Ids and codes only: payloads may hold (encrypted) personal data.
      logger.error({ jobId: job.id, kind: job.kind, dedupeKey: job.dedupeKey, attempts: job.attempts, lastError: error }, 'outbox job dead-lettered');
    } else if (verdict === 'retry') {
      logger.warn({ jobId: job.id, kind: job.kind, dedupeKey: job.dedupeKey, attempts: job.attempts, error }, 'outbox delivery failed, will retry');
    }
    return verdict;
  };

  const depth = async (): Promise<Record<string, number>> => {
    const rows = await db.selectFrom('outbox_jobs').select((eb) => ['status', eb.fn.countAll().as('count')]).groupBy('status').execute();
    const counts: Record<string, number> = Object.fromEntries(outboxJobStatuses.map((status) => [status, 0]));
    for (const row of rows) counts[row.status] = Number(row.count);
    for (const [status, count] of Object.entries(counts)) deps.metrics?.outboxJobs.set({ status }, count);
    return counts;
  };

  const runOnce = async (): Promise<OutboxRunSummary> => {
    const jobs = await claimOutboxJobs(db, { dialect: config.dialect, workerId, now: clock.now(), leaseMs, limit: batchSize });
    const summary: OutboxRunSummary = { claimed: jobs.length, delivered: 0, retried: 0, dead: 0 };
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++] as ClaimedOutboxJob;
        const verdict = await record(job, await deliver(job));
        if (verdict === 'delivered') summary.delivered += 1;
        else if (verdict === 'retry') summary.retried += 1;
        else summary.dead += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
    if (deps.metrics) await depth();
    return summary;
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (wakeRequested || !running) {
        wakeRequested = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeSleeper = null;
        resolve();
      }
      wakeSleeper = done;
    });

  const loop = async (): Promise<void> => {
    while (running) {
      let claimed = 0;
      try {
        claimed = (await runOnce()).claimed;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        logger.error({ error: error instanceof Error ? error.name : 'Error', code: typeof code === 'string' ? code : undefined }, 'outbox poll failed');
      }
      if (running && claimed < batchSize) await sleep(pollIntervalMs);
    }
  };

  return {
    workerId,
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    async stop() {
      running = false;
      wakeSleeper?.();
      await loopDone;
      loopDone = null;
    },
    wake() {
      if (wakeSleeper) wakeSleeper();
      else wakeRequested = true;
    },
    runOnce,
    depth,
  };
}
