import type { CheckoutDeps } from './domain/checkout-deps';
import type { SweepOptions, SweepReport } from './domain/settlement/sweep-orders';
import { sweepOrders } from './domain/settlement/sweep-orders';

export interface Sweeper {
  start(): void;
  /** Stops the timer and waits for a sweep in progress to finish the order in hand (the rest is left for the next start). */
  stop(): Promise<void>;
  /** One sweep now (tests, admin); joins a sweep already running. */
  runOnce(): Promise<SweepReport>;
}

/** Runs sweepOrders every intervalMs (one at a time) until stopped. */
export function createSweeper(deps: CheckoutDeps, options: SweepOptions & { intervalMs: number }): Sweeper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SweepReport> | undefined;
  let stopped = true;
  // A sweep can hold a batch of slow WeChat Pay calls; shutdown must not wait for all of them.
  let shutdown = new AbortController();

  const runOnce = (): Promise<SweepReport> => {
    running ??= sweepOrders(deps, { ...options, signal: shutdown.signal }).finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .then((report) => {
          if (report.queried + report.closeAttempts > 0) deps.logger.info({ ...report }, 'sweep finished');
        })
        .catch((error: unknown) => {
          deps.logger.error({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'sweep failed');
        })
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      if (shutdown.signal.aborted) shutdown = new AbortController();
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      shutdown.abort();
      await running?.catch(() => undefined);
    },
    runOnce,
  };
}
