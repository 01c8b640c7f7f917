import type { CheckoutDeps } from './domain/checkout-deps';
import type { SweepOptions, SweepReport } from './domain/settlement/sweep-orders';
import { sweepOrders } from './domain/settlement/sweep-orders';
import { createPeriodicTask } from './periodic-task';
import { settleRefunds, type RefundSweepReport } from './domain/refunds/settle-refunds';

/** A sweep's orders (orderquery, closeorder) and its refunds (resend, refundquery). */
export type SweeperReport = SweepReport & { refunds: RefundSweepReport };

export interface Sweeper {
  start(): void;
  /** Stops the timer and waits for a sweep in progress to finish the order in hand (the rest is left for the next start). */
  stop(): Promise<void>;
  /** One sweep now (tests, admin); joins a sweep already running. */
  runOnce(): Promise<SweeperReport>;
}

/** Runs sweepOrders, then the refund step, every intervalMs (one at a time) until stopped. */
export function createSweeper(deps: CheckoutDeps, options: SweepOptions & { intervalMs: number }): Sweeper {
  // A sweep can hold a batch of slow WeChat Pay calls; shutdown must not wait for all of them.
  let shutdown = new AbortController();
  const sweep = async (): Promise<SweeperReport> => {
    const orders = await sweepOrders(deps, { ...options, signal: shutdown.signal });
    const refunds = shutdown.signal.aborted ? { resent: 0, queried: 0, settled: 0, failed: 0 } : await settleRefunds(deps, { batchSize: options.batchSize });
    return { ...orders, refunds };
  };
  const task = createPeriodicTask(sweep, {
    intervalMs: options.intervalMs,
    onResult: (report) => {
      if (report.queried + report.closeAttempts + report.refunds.resent + report.refunds.queried > 0) deps.logger.info({ ...report }, 'sweep finished');
    },
    onError: (error) => deps.logger.error({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'sweep failed'),
  });
  return {
    start() {
      if (shutdown.signal.aborted) shutdown = new AbortController();
      task.start();
    },
    stop() {
      shutdown.abort();
      return task.stop();
    },
    runOnce: () => task.runOnce(),
  };
}
