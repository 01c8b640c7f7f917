export type { OutboxJobInput } from '../domain/ports/outbox-store';

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
