/** What a producer enqueues. `payload` must be JSON-serialisable. */
export interface OutboxJobInput<P = unknown> {
  /** Selects the handler, e.g. `gov_subsidy_sync`. */
  kind: string;
  /** Unique per kind: a second enqueue with the same key is ignored (at-most-one job per fact). */
  dedupeKey: string;
  payload: P;
  /**
   * Dedupe key of the job (same kind) this one must follow: it is not claimed while that job
   * exists and is not delivered (pending, in backoff, delivering or dead). A key with no job
   * does not hold it back: the producer checks, in its transaction, that the predecessor exists.
   */
  after?: string;
}

/**
 * The outbox as producers see it, bound to the caller's transaction: a job exists if and only if
 * the business change that enqueued it committed. `enqueue` is the one way a job is written.
 */
export interface OutboxStore {
  /**
   * Adds a pending job, or with `dead` a job recorded as undeliverable (it is kept for an
   * operator and never claimed). A job with the same (kind, dedupeKey) makes this a no-op
   * (`enqueued: false`) whatever its status.
   */
  enqueue(job: OutboxJobInput, options: { now: Date; dead?: { error: string } }): Promise<{ enqueued: boolean }>;
  /** Whether a job of this kind and dedupe key exists (in any status). */
  has(kind: string, dedupeKey: string): Promise<boolean>;
}
