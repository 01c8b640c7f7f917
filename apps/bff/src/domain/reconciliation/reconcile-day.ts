import { billDayRange } from '@checkout/protocol/wxpay';
import type { CheckoutDeps } from '../checkout-deps';
import { confirmWithOrderQuery } from '../settlement/confirm-with-orderquery';
import type { BillRow, BillSource } from './bill-source';
import { CompactKeySet } from './compact-key-set';
import type { Discrepancy, DiscrepancyKind } from './discrepancy';
import type { DayTotals, ReconciliationRun, Tally } from './reconciliation-run';
import type { OurPayment, ReconciliationStore } from './reconciliation-store';

export interface ReconcileDeps extends Pick<CheckoutDeps, 'orders' | 'gateway' | 'clock' | 'ids' | 'logger' | 'policy'> {
  store: ReconciliationStore;
  bills: BillSource;
  /** This process, for the run lease. */
  workerId: string;
  /** How long one attempt holds the day (longer than a whole run takes). */
  leaseMs: number;
  /** Wait before asking again for a bill that is not ready (or WeChat Pay unreachable). */
  retryMs: number;
  /** Sees every new discrepancy and every finished run (metrics). */
  observe?: { discrepancy(kind: DiscrepancyKind): void; succeeded(billDate: string, at: Date): void };
}

export type ReconcileOutcome =
  | { kind: 'succeeded'; run: ReconciliationRun; totals: DayTotals; newDiscrepancies: number; recovered: number }
  | { kind: 'already_done'; run: ReconciliationRun }
  /** Another instance holds the day right now. */
  | { kind: 'busy' }
  | { kind: 'waiting' | 'failed'; reason: string };

/** Lookups are batched: one query per this many bill rows. */
const BATCH = 500;

/** Kinds about money that moved (or should have): logged at error level. */
const moneyKinds: ReadonlySet<DiscrepancyKind> = new Set(['paid_not_here', 'paid_not_in_bill', 'unknown_order', 'amount_mismatch', 'refund_not_here', 'refund_not_in_bill', 'refund_amount_mismatch', 'duplicate_transaction']);

const tally = (): Tally => ({ count: 0, fen: 0 });

/**
 * Reconciles one Beijing day: WeChat Pay's ALL bill, streamed row by row, against our payments
 * and refunds of that day. Every difference is recorded once (a rerun adds nothing); a payment
 * WeChat Pay took that is not paid here is recovered through orderquery, never from the bill
 * alone. Rows count only once the whole bill has been read and its summary agreed, so a corrupt
 * bill records nothing and the run is retried.
 */
export async function reconcileDay(deps: ReconcileDeps, billDate: string, options: { force?: boolean } = {}): Promise<ReconcileOutcome> {
  const now = deps.clock.now();
  const claim = await deps.store.claimRun({ id: deps.ids.eventId(), billDate, mchId: deps.policy.mchId, workerId: deps.workerId, now, leaseMs: deps.leaseMs, force: options.force === true });
  if (claim.kind === 'busy') return { kind: 'busy' };
  if (claim.kind === 'done') return { kind: 'already_done', run: claim.run };
  const run = claim.run;
  const retryAt = new Date(now.getTime() + deps.retryMs);

  let fetched;
  try {
    fetched = await deps.bills.fetchDay(billDate);
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'unknown';
    await deps.store.finishRun(run.id, { status: 'waiting', error: reason, nextAttemptAt: retryAt, at: deps.clock.now() });
    deps.logger.warn({ billDate, reason }, 'trade bill could not be fetched; retried later');
    return { kind: 'waiting', reason };
  }
  if (fetched.kind === 'not_ready') {
    await deps.store.finishRun(run.id, { status: 'waiting', error: fetched.reason, nextAttemptAt: retryAt, at: deps.clock.now() });
    return { kind: 'waiting', reason: fetched.reason };
  }

  const totals: DayTotals = { billPayments: tally(), billRefunds: tally(), ourPayments: tally(), ourRefunds: tally() };
  const found: Discrepancy[] = [];
  const lost: LostPayment[] = [];
  // The bill's keys, kept for the whole run (as bytes: a big bill holds hundreds of thousands).
  const billOrders = new CompactKeySet();
  const billTransactions = new CompactKeySet();
  const billRefunds = new CompactKeySet();
  const { start, end } = billDayRange(billDate);
  // Our payments of the day that some bill row found: when they are all of them, none is missing from the bill.
  let oursInBill = 0;
  const add = (d: Omit<Discrepancy, 'status'>) => found.push({ ...d, status: 'open' });

  const checkBatch = async (rows: BillRow[]): Promise<void> => {
    const payments = rows.filter((row) => row.kind === 'payment');
    const refunds = rows.filter((row) => row.kind === 'refund');
    const ours = await deps.store.paymentsByOutTradeNo([...new Set(payments.map((row) => row.outTradeNo))]);
    for (const row of payments) {
      const base = { outTradeNo: row.outTradeNo, transactionId: row.transactionId, outRefundNo: null };
      // Either set already holding the key: the bill lists this payment, or this order, twice.
      const newTransaction = billTransactions.add(row.transactionId);
      const newOrder = billOrders.add(row.outTradeNo);
      const our = ours.get(row.outTradeNo);
      if (newOrder && our !== undefined && our.transactionId !== null && our.paidAt !== null && our.paidAt >= start && our.paidAt < end) oursInBill += 1;
      if (!newTransaction || !newOrder) add({ ...base, kind: 'duplicate_transaction', ourFen: null, billFen: row.totalFen, detail: 'the bill lists this payment (or this order) twice' });
      if (!our) {
        add({ ...base, kind: 'unknown_order', ourFen: null, billFen: row.totalFen, detail: 'paid at WeChat Pay for an out_trade_no this shop never created' });
        continue;
      }
      if (row.appId !== our.appId || row.mchId !== our.mchId) add({ ...base, kind: 'merchant_mismatch', ourFen: our.payableFen, billFen: row.totalFen, detail: `bill appid/mch_id ${row.appId}/${row.mchId}` });
      if (row.totalFen !== our.payableFen) add({ ...base, kind: 'amount_mismatch', ourFen: our.payableFen, billFen: row.totalFen, detail: 'the bill charged another amount than the order' });
      if (our.transactionId === null) {
        add({ ...base, kind: 'paid_not_here', ourFen: our.payableFen, billFen: row.totalFen, detail: `order is ${our.status} here` });
        lost.push({ payment: our, transactionId: row.transactionId });
      } else if (our.transactionId !== row.transactionId) {
        add({ ...base, kind: 'duplicate_transaction', ourFen: our.payableFen, billFen: row.totalFen, detail: 'the order is paid here by another transaction' });
      }
    }
    const ourRefunds = await deps.store.refundsByOutRefundNo([...new Set(refunds.map((row) => row.outRefundNo))]);
    for (const row of refunds) {
      billRefunds.add(row.outRefundNo);
      const base = { outTradeNo: row.outTradeNo, transactionId: row.transactionId, outRefundNo: row.outRefundNo };
      const our = ourRefunds.get(row.outRefundNo);
      if (!our) add({ ...base, kind: 'refund_not_here', ourFen: null, billFen: row.refundFen, detail: 'a refund this shop has no record of (the merchant portal?)' });
      else if (our.refundFen !== row.refundFen) add({ ...base, kind: 'refund_amount_mismatch', ourFen: our.refundFen, billFen: row.refundFen, detail: 'the bill refunded another amount' });
    }
  };

  try {
    if (fetched.kind === 'bill') {
      let batch: BillRow[] = [];
      for await (const row of fetched.rows) {
        const side = row.kind === 'payment' ? totals.billPayments : totals.billRefunds;
        side.count += 1;
        side.fen += row.kind === 'payment' ? row.totalFen : row.refundFen;
        batch.push(row);
        if (batch.length >= BATCH) {
          await checkBatch(batch);
          batch = [];
        }
      }
      await checkBatch(batch);
    }
  } catch (error) {
    // The bill disagreed with itself (summary, columns): nothing it said is recorded.
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'BILL_UNREADABLE';
    await deps.store.finishRun(run.id, { status: 'failed', error: reason, nextAttemptAt: retryAt, at: deps.clock.now() });
    deps.logger.error({ billDate, reason }, 'trade bill refused as corrupt; nothing recorded, retried later');
    return { kind: 'failed', reason };
  }

  totals.ourPayments = await deps.store.paidTotalsBetween(start, end);
  // Only a day with payments missing from the bill reads our payments one by one to name them.
  if (totals.ourPayments.count > oursInBill) for await (const our of deps.store.paidBetween(start, end)) {
    if (!billOrders.has(our.outTradeNo)) add({ kind: 'paid_not_in_bill', outTradeNo: our.outTradeNo, transactionId: our.transactionId, outRefundNo: null, ourFen: our.payableFen, billFen: null, detail: 'paid here, absent from the bill of its day' });
  }
  for await (const our of deps.store.refundsBetween(start, end)) {
    totals.ourRefunds.count += 1;
    totals.ourRefunds.fen += our.refundFen;
    if (!billRefunds.has(our.outRefundNo)) add({ kind: 'refund_not_in_bill', outTradeNo: our.outTradeNo, transactionId: our.transactionId, outRefundNo: our.outRefundNo, ourFen: our.refundFen, billFen: null, detail: 'accepted here, absent from the bill of its day' });
  }

  const recovered = await recoverLostPayments(deps, lost, found);
  const newDiscrepancies = await deps.store.recordDiscrepancies(run.id, billDate, found, deps.clock.now());
  const finishedAt = deps.clock.now();
  await deps.store.finishRun(run.id, { status: 'succeeded', totals, discrepancies: found.length, at: finishedAt });
  if (newDiscrepancies > 0) {
    const kinds = [...new Set(found.map((d) => d.kind))];
    for (const d of found) deps.observe?.discrepancy(d.kind);
    const log = kinds.some((kind) => moneyKinds.has(kind)) ? deps.logger.error.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
    log({ billDate, discrepancies: found.length, kinds, recovered }, 'reconciliation found money discrepancies');
  }
  deps.observe?.succeeded(billDate, finishedAt);
  return { kind: 'succeeded', run, totals, newDiscrepancies, recovered };
}

/** A payment the bill shows for an order that is not paid here. */
interface LostPayment {
  payment: OurPayment;
  transactionId: string;
}

/** Lost notifications: ask WeChat Pay (orderquery) and apply its answer through the normal paid transition. */
async function recoverLostPayments(deps: ReconcileDeps, lost: readonly LostPayment[], found: Discrepancy[]): Promise<number> {
  let recovered = 0;
  for (const { payment, transactionId } of lost) {
    const order = await deps.orders.findById(payment.orderId);
    if (!order) continue;
    try {
      // By the bill's transaction_id: confirms exactly the payment that arrived on this unpaid order.
      const after = await confirmWithOrderQuery(deps, order, { transactionId });
      if (after.transactionId === null) continue;
      recovered += 1;
      for (const d of found) if (d.kind === 'paid_not_here' && d.outTradeNo === payment.outTradeNo) d.status = 'recovered';
    } catch (error) {
      deps.logger.warn({ outTradeNo: payment.outTradeNo, err: error instanceof Error ? error.name : 'unknown' }, 'lost payment could not be confirmed now; the discrepancy stays open');
    }
  }
  return recovered;
}
