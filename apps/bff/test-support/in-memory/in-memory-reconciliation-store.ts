/* eslint-disable @typescript-eslint/require-await -- in memory, the async ports answer at once */
import type { Discrepancy, DiscrepancyRecord, DiscrepancyStatus } from '../../src/domain/reconciliation/discrepancy';
import type { DayTotals, ReconciliationRun } from '../../src/domain/reconciliation/reconciliation-run';
import type { OurPayment, OurRefund, ReconciliationStore, RunClaim } from '../../src/domain/reconciliation/reconciliation-store';

/**
 * ReconciliationStore in memory for the use-case unit tests: runs leased per day, discrepancies
 * kept once per (day, kind, order, refund), our payments and refunds as plain lists.
 */
export class InMemoryReconciliationStore implements ReconciliationStore {
  readonly runs = new Map<string, ReconciliationRun & { leaseUntil: Date | null }>();
  readonly discrepancies = new Map<string, DiscrepancyRecord>();
  payments: OurPayment[] = [];
  refunds: (OurRefund & { createdAt: Date })[] = [];

  async claimRun(input: { id: string; billDate: string; mchId: string; workerId: string; now: Date; leaseMs: number; force: boolean }): Promise<RunClaim> {
    const run = this.runs.get(input.billDate) ?? { id: input.id, billDate: input.billDate, mchId: input.mchId, status: 'waiting', attempts: 0, lastError: null, nextAttemptAt: null, totals: null, discrepancies: 0, startedAt: null, finishedAt: null, leaseUntil: null };
    this.runs.set(input.billDate, run);
    if (run.status === 'succeeded' && !input.force) return { kind: 'done', run: { ...run } };
    if (run.leaseUntil && run.leaseUntil > input.now) return { kind: 'busy' };
    Object.assign(run, { status: 'running', attempts: run.attempts + 1, startedAt: input.now, leaseUntil: new Date(input.now.getTime() + input.leaseMs) });
    return { kind: 'claimed', run: { ...run } };
  }

  async finishRun(runId: string, outcome: { status: 'succeeded'; totals: DayTotals; discrepancies: number; at: Date } | { status: 'waiting' | 'failed'; error: string; nextAttemptAt: Date; at: Date }): Promise<void> {
    const run = [...this.runs.values()].find((candidate) => candidate.id === runId);
    if (!run) return;
    if (outcome.status === 'succeeded') Object.assign(run, { status: 'succeeded', totals: outcome.totals, discrepancies: outcome.discrepancies, lastError: null, nextAttemptAt: null });
    else Object.assign(run, { status: outcome.status, lastError: outcome.error, nextAttemptAt: outcome.nextAttemptAt });
    Object.assign(run, { finishedAt: outcome.at, leaseUntil: null });
  }

  async listRuns(limit: number): Promise<ReconciliationRun[]> {
    return [...this.runs.values()].slice(0, limit);
  }

  async dueRetries(now: Date): Promise<string[]> {
    return [...this.runs.values()].filter((run) => run.status !== 'succeeded' && run.nextAttemptAt !== null && run.nextAttemptAt <= now).map((run) => run.billDate);
  }

  async paymentsByOutTradeNo(outTradeNos: readonly string[]): Promise<Map<string, OurPayment>> {
    return new Map(this.payments.filter((p) => outTradeNos.includes(p.outTradeNo)).map((p) => [p.outTradeNo, { ...p }]));
  }

  async refundsByOutRefundNo(outRefundNos: readonly string[]): Promise<Map<string, OurRefund>> {
    return new Map(this.refunds.filter((r) => outRefundNos.includes(r.outRefundNo)).map((r) => [r.outRefundNo, { ...r }]));
  }

  async paidTotalsBetween(start: Date, end: Date): Promise<{ count: number; fen: number }> {
    let count = 0;
    let fen = 0;
    for await (const p of this.paidBetween(start, end)) {
      count += 1;
      fen += p.payableFen;
    }
    return { count, fen };
  }

  async *paidBetween(start: Date, end: Date): AsyncIterable<OurPayment> {
    for (const p of this.payments) if (p.transactionId !== null && p.paidAt !== null && p.paidAt >= start && p.paidAt < end) yield { ...p };
  }

  async *refundsBetween(start: Date, end: Date): AsyncIterable<OurRefund> {
    for (const r of this.refunds) if (r.createdAt >= start && r.createdAt < end) yield { ...r };
  }

  async recordDiscrepancies(runId: string, billDate: string, discrepancies: readonly Discrepancy[], at: Date): Promise<number> {
    let added = 0;
    for (const d of discrepancies) {
      const id = `${billDate}:${d.kind}:${d.outTradeNo}:${d.outRefundNo ?? ''}`;
      if (this.discrepancies.has(id)) continue;
      this.discrepancies.set(id, { ...d, id, runId, billDate, detectedAt: at, resolvedAt: null, resolutionNote: null });
      added += 1;
    }
    return added;
  }

  async listDiscrepancies(page: { status?: DiscrepancyStatus; limit: number }): Promise<DiscrepancyRecord[]> {
    return [...this.discrepancies.values()].filter((d) => page.status === undefined || d.status === page.status).slice(0, page.limit);
  }

  async findDiscrepancy(id: string): Promise<DiscrepancyRecord | null> {
    return this.discrepancies.get(id) ?? null;
  }

  async resolveDiscrepancy(id: string, note: string, at: Date): Promise<boolean> {
    const d = this.discrepancies.get(id);
    if (d?.status !== 'open') return false;
    Object.assign(d, { status: 'resolved', resolutionNote: note, resolvedAt: at });
    return true;
  }
}
