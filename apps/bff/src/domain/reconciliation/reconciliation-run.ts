/** Count and sum (fen) of one side's payments or refunds of a day. */
export interface Tally {
  count: number;
  fen: number;
}

export interface DayTotals {
  billPayments: Tally;
  billRefunds: Tally;
  ourPayments: Tally;
  ourRefunds: Tally;
}

/**
 * One merchant's reconciliation of one Beijing day. `waiting`: the bill was not ready (or
 * WeChat Pay unreachable); `failed`: the bill was refused (corrupt); both are retried at
 * `nextAttemptAt`. `succeeded` is final: a rerun of the day changes nothing.
 */
export type RunStatus = 'running' | 'waiting' | 'failed' | 'succeeded';

export interface ReconciliationRun {
  id: string;
  billDate: string;
  mchId: string;
  status: RunStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  totals: DayTotals | null;
  discrepancies: number;
  startedAt: Date | null;
  finishedAt: Date | null;
}
