export interface BackoffPolicy {
  /** Delay before the 2nd attempt (before jitter). */
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * min(max, base·2^(n−1)), so retries still spread out but never collapse to zero delay.
 * `random` in [0, 1) is an argument so tests are deterministic.
 */
export function backoffDelayMs(policy: BackoffPolicy, attempts: number, random: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
