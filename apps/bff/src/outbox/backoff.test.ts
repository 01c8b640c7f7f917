import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it('doubles per attempt between half and all of the ceiling, and stops at the max', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(policy, n, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(policy, n, 0.999_999))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelayMs(policy, 50, 0.5)).toBe(45_000);
  });
});
