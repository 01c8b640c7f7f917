import { createPeriodicTask, type PeriodicTask } from './periodic-task';
import { daysToReconcile } from './domain/reconciliation/days-to-reconcile';
import { reconcileDay, type ReconcileDeps, type ReconcileOutcome } from './domain/reconciliation/reconcile-day';

/** `runOnce()`: every day that is due (its bill ready, or a retry whose time has come). */
export type Reconciler = PeriodicTask<Record<string, ReconcileOutcome['kind']>>;

/** Runs the daily reconciliation every intervalMs (one pass at a time) until stopped. */
export function createReconciler(deps: ReconcileDeps, options: { intervalMs: number; readyHour: number; lookbackDays: number }): Reconciler {
  const pass = async (): Promise<Record<string, ReconcileOutcome['kind']>> => {
    const now = deps.clock.now();
    const days = new Set([...daysToReconcile(now, options.readyHour, options.lookbackDays), ...(await deps.store.dueRetries(now, deps.policy.mchId))]);
    const outcomes: Record<string, ReconcileOutcome['kind']> = {};
    for (const day of [...days].sort()) outcomes[day] = (await reconcileDay(deps, day)).kind;
    return outcomes;
  };
  return createPeriodicTask(pass, {
    intervalMs: options.intervalMs,
    onError: (error) => deps.logger.error({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'reconciliation pass failed'),
  });
}
