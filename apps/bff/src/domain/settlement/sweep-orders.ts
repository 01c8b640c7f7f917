import type { CheckoutDeps } from '../checkout-deps';
import type { OrderRecord } from '../orders/order-record';
import { closeOrderNow } from './close-order-now';
import { confirmWithOrderQuery } from './confirm-with-orderquery';
import { canTransition, canUpdate } from '../orders/order-lifecycle';

export interface SweepOptions {
  /** Pending orders older than this are confirmed with orderquery. */
  queryAfterSeconds: number;
  /** And re-queried at most this often. */
  requeryIntervalSeconds: number;
  batchSize: number;
  /** How long one sweeper owns an order it works on (other instances skip it). */
  leaseSeconds: number;
  /** Aborted on shutdown: the order in hand is finished, the rest waits for the next sweep. */
  signal?: AbortSignal;
}

export interface SweepReport {
  queried: number;
  closeAttempts: number;
  paid: number;
  closed: number;
  failed: number;
  errors: number;
}

type Deps = Pick<CheckoutDeps, 'orders' | 'gateway' | 'clock' | 'logger' | 'policy'>;

/**
 * One sweep: confirm stale pending orders with orderquery, then close (closeorder) orders past
 * their payment window or with a cancel request, and failed (PAYERROR) orders, once the 5-minute
 * floor allows. Safe to run in
 * several processes at once: each order is claimed with a lease and every change is conditional.
 */
export async function sweepOrders(deps: Deps, options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = { queried: 0, closeAttempts: 0, paid: 0, closed: 0, failed: 0, errors: 0 };
  const now = deps.clock.now();
  const seconds = (n: number) => n * 1000;
  const claimed = new Set<string>();

  const dueForQuery = await deps.orders.listDueForQuery(
    new Date(now.getTime() - seconds(options.queryAfterSeconds)),
    new Date(now.getTime() - seconds(options.requeryIntervalSeconds)),
    options.batchSize,
  );
  for (const order of dueForQuery) {
    if (options.signal?.aborted) return report;
    await withClaim(deps, order, options, report, claimed, async () => {
      report.queried += 1;
      tally(report, await confirmWithOrderQuery(deps, order));
    });
  }

  const dueForClose = await deps.orders.listDueForClose(new Date(now.getTime() - seconds(deps.policy.closeFloorSeconds)), now, options.batchSize);
  for (const order of dueForClose) {
    if (options.signal?.aborted) return report;
    await withClaim(deps, order, options, report, claimed, async () => {
      const current = await deps.orders.findById(order.id);
      const failedOpen = current !== null && canUpdate(current.status, 'closedAtWechat') && current.closedAt === null;
      if (!current || (!canTransition(current.status, 'close') && !failedOpen)) return;
      report.closeAttempts += 1;
      tally(report, await closeOrderNow(deps, current, current.cancelRequested ? 'cancelled' : 'expired'));
    });
  }
  return report;
}

async function withClaim(
  deps: Deps,
  order: OrderRecord,
  options: SweepOptions,
  report: SweepReport,
  claimed: Set<string>,
  work: () => Promise<void>,
): Promise<void> {
  const now = deps.clock.now();
  if (!claimed.has(order.id)) {
    if (!(await deps.orders.claimForSweep(order.id, now, new Date(now.getTime() + options.leaseSeconds * 1000)))) return;
    claimed.add(order.id);
  }
  try {
    await work();
  } catch (error) {
    report.errors += 1;
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'UNKNOWN';
    deps.logger.warn({ outTradeNo: order.outTradeNo, code }, 'sweeper could not settle order; will retry');
    await deps.orders.recordEvent(order.id, 'sweep_error', code, deps.clock.now());
  }
}

function tally(report: SweepReport, order: OrderRecord): void {
  if (order.status === 'paid') report.paid += 1;
  else if (order.status === 'closed') report.closed += 1;
  else if (order.status === 'failed') report.failed += 1;
}
