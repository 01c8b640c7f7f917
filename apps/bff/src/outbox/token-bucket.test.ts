import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './token-bucket';

describe('createTokenBucket', () => {
  it('allows the burst, then one token per 1/rate seconds, never more than capacity + rate·t', () => {
    let now = 0;
    const bucket = createTokenBucket({ ratePerSecond: 95, capacity: 5, nowMs: () => now });
    let taken = 0;
    while (bucket.tryTake()) taken += 1;
    expect(taken).toBe(5);
    // Walk one second in 1 ms steps, taking whatever is available.
    for (let step = 0; step < 1000; step += 1) {
      now += 1;
      while (bucket.tryTake()) taken += 1;
    }
    expect(taken).toBeLessThanOrEqual(100);
    expect(taken).toBeGreaterThanOrEqual(99);
  });

  it('take() waits for a token instead of failing', async () => {
    const bucket = createTokenBucket({ ratePerSecond: 1000, capacity: 1 });
    await bucket.take();
    await bucket.take();
    expect(bucket.tryTake()).toBe(false);
  });
});
