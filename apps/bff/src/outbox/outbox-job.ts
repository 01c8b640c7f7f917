/** What a producer hands to enqueueOutboxJob. `payload` must be JSON-serialisable. */
export interface OutboxJobInput<P = unknown> {
  /** Selects the handler, e.g. `gov_subsidy_sync`. */
  kind: string;
  /** Unique per kind: a second enqueue with the same key is ignored (at-most-one job per fact). */
  dedupeKey: string;
  payload: P;
  /**
   * Dedupe key of the job (same kind) this one must follow: it is not claimed while that job
   * exists and is not `delivered` (pending, in backoff, delivering or dead). A key with no job
   * does not hold it back: the producer checks, in its transaction, that the predecessor exists.
   */
  after?: string;
}

export const outboxJobStatuses = ['pending', 'delivering', 'delivered', 'dead'] as const;
export type OutboxJobStatus = (typeof outboxJobStatuses)[number];

/** A job as a handler sees it after the worker claimed it. `attempts` includes this one. */
export interface ClaimedOutboxJob {
  id: string;
  kind: string;
  dedupeKey: string;
  payload: unknown;
  attempts: number;
  createdAt: Date;
}

/**
 * A handler's verdict. `retry`: transient (network, 5xx, 429, bad signature), try again later.
 * `failed`: permanent (the other side refused the request as invalid), dead-letter now.
 * `error` is a short code for logs and last_error: never a payload, never personal data.
 */
export type DeliveryResult =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  | { outcome: 'failed'; error: string };

export type OutboxHandler = (job: ClaimedOutboxJob) => Promise<DeliveryResult>;
