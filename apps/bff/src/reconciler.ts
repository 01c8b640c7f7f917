import { daysToReconcile } from './domain/reconciliation/days-to-reconcile';
import { reconcileDay, type ReconcileDeps, type ReconcileOutcome } from './domain/reconciliation/reconcile-day';

export interface Reconciler {
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /** One pass now: every day that is due (ready, or a retry whose time has come). */
  runOnce(): Promise<Record<string, ReconcileOutcome['kind']>>;
}

/** Runs the daily reconciliation every intervalMs (one pass at a time) until stopped. */
export function createReconciler(deps: ReconcileDeps, options: { intervalMs: number; readyHour: number; lookbackDays: number }): Reconciler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<Record<string, ReconcileOutcome['kind']>> | undefined;
  let stopped = true;

  const pass = async (): Promise<Record<string, ReconcileOutcome['kind']>> => {
    const now = deps.clock.now();
    const days = new Set([...daysToReconcile(now, options.readyHour, options.lookbackDays), ...(await deps.store.dueRetries(now, deps.policy.mchId))]);
    const outcomes: Record<string, ReconcileOutcome['kind']> = {};
    for (const day of [...days].sort()) outcomes[day] = (await reconcileDay(deps, day)).kind;
    return outcomes;
  };
  const runOnce = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => deps.logger.error({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'reconciliation pass failed'))
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
