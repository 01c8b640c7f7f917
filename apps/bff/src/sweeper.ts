import type { CheckoutDeps } from './domain/checkout-deps';
import type { SweepOptions, SweepReport } from './domain/sweep-orders';
import { sweepOrders } from './domain/sweep-orders';

export interface Sweeper {
  start(): void;
  /** Stops the timer and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
  /** One sweep now (tests, admin); joins a sweep already running. */
  runOnce(): Promise<SweepReport>;
}

/** Runs sweepOrders every intervalMs (one at a time) until stopped. */
export function createSweeper(deps: CheckoutDeps, options: SweepOptions & { intervalMs: number }): Sweeper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SweepReport> | undefined;
  let stopped = true;

  const runOnce = (): Promise<SweepReport> => {
    running ??= sweepOrders(deps, options).finally(() => {
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
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    runOnce,
  };
}
