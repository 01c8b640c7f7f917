export interface TokenBucket {
  /** Takes a token if one is available now. */
  tryTake(): boolean;
  /** Waits until a token is available, then takes it. */
  take(): Promise<void>;
}

/**
 * Rate limiter for outgoing requests. At most `capacity + ratePerSecond·t` tokens in any window of
 * t seconds, so capacity 5 at 95/s keeps any one-second window at ≤ 100 requests (WeChat Pay's
 * per-interface limit). `nowMs` is injectable for tests; it must be monotonic.
 */
export function createTokenBucket(options: { ratePerSecond: number; capacity: number; nowMs?: () => number }): TokenBucket {
  const { ratePerSecond, capacity } = options;
  if (!(ratePerSecond > 0) || !(capacity >= 1)) throw new RangeError('token bucket needs ratePerSecond > 0 and capacity ≥ 1');
  const nowMs = options.nowMs ?? (() => performance.now());
  let tokens = capacity;
  let last = nowMs();

  const refill = (): void => {
    const now = nowMs();
    tokens = Math.min(capacity, tokens + ((now - last) * ratePerSecond) / 1000);
    last = now;
  };
  const tryTake = (): boolean => {
    refill();
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  return {
    tryTake,
    async take() {
      while (!tryTake()) {
        const waitMs = Math.max(1, Math.ceil(((1 - tokens) * 1000) / ratePerSecond));
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    },
  };
}
