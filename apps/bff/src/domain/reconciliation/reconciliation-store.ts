import type { Discrepancy, DiscrepancyRecord, DiscrepancyStatus } from './discrepancy';
import type { DayTotals, ReconciliationRun } from './reconciliation-run';

/** Our side of a payment, as the bill is checked against it. */
export interface OurPayment {
  orderId: string;
  outTradeNo: string;
  status: string;
  appId: string;
  mchId: string;
  payableFen: number;
  transactionId: string | null;
  paidAt: Date | null;
}

export interface OurRefund {
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  refundFen: number;
  status: string;
}

export type RunClaim = { kind: 'claimed'; run: ReconciliationRun } | { kind: 'done'; run: ReconciliationRun } | { kind: 'busy' };

/** Runs, discrepancies and the lookups a reconciliation makes, batched (a bill has up to hundreds of thousands of rows). */
export interface ReconciliationStore {
  /** Takes the day's lease (one run per merchant and day across instances), unless the day already succeeded (`force`: run it again). */
  claimRun(input: { id: string; billDate: string; mchId: string; workerId: string; now: Date; leaseMs: number; force: boolean }): Promise<RunClaim>;
  /** Ends the attempt: succeeded with its totals, or waiting/failed until `nextAttemptAt`. */
  finishRun(runId: string, outcome: { status: 'succeeded'; totals: DayTotals; discrepancies: number; at: Date } | { status: 'waiting' | 'failed'; error: string; nextAttemptAt: Date; at: Date }): Promise<void>;
  listRuns(limit: number): Promise<ReconciliationRun[]>;
  /** Days whose run is waiting or failed and due again. */
  dueRetries(now: Date, mchId: string): Promise<string[]>;
  paymentsByOutTradeNo(outTradeNos: readonly string[]): Promise<Map<string, OurPayment>>;
  refundsByOutRefundNo(outRefundNos: readonly string[]): Promise<Map<string, OurRefund>>;
  /** Count and sum of our orders whose money arrived in [start, end): one aggregate, no rows. */
  paidTotalsBetween(start: Date, end: Date): Promise<{ count: number; fen: number }>;
  /** Our orders whose money arrived in [start, end), and their refunds accepted in that range, page by page. */
  paidBetween(start: Date, end: Date): AsyncIterable<OurPayment>;
  refundsBetween(start: Date, end: Date): AsyncIterable<OurRefund>;
  /** Stores each discrepancy once per day (a rerun adds nothing); returns how many were new. */
  recordDiscrepancies(runId: string, billDate: string, discrepancies: readonly Discrepancy[], at: Date): Promise<number>;
  listDiscrepancies(page: { status?: DiscrepancyStatus; limit: number }): Promise<DiscrepancyRecord[]>;
  findDiscrepancy(id: string): Promise<DiscrepancyRecord | null>;
  /** An operator closes one with a note; false when it is not open. */
  resolveDiscrepancy(id: string, note: string, at: Date): Promise<boolean>;
}
