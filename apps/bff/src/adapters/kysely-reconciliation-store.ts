import type { Kysely, Selectable } from 'kysely';
import type { Database, ReconciliationDiscrepanciesTable, ReconciliationRunsTable } from '../db/schema';
import type { Discrepancy, DiscrepancyKind, DiscrepancyRecord, DiscrepancyStatus } from '../domain/reconciliation/discrepancy';
import type { DayTotals, ReconciliationRun, RunStatus } from '../domain/reconciliation/reconciliation-run';
import type { OurPayment, OurRefund, ReconciliationStore, RunClaim } from '../domain/reconciliation/reconciliation-store';
import { dateOrNull } from '../db/date-or-null';

/** Keyset pages for the day's own payments and refunds: bounded memory however busy the day. */
const PAGE = 1000;
/** Lookups of bill rows, at most this many keys per IN list (PostgreSQL and SQLite both take it). */
const IN_CHUNK = 500;

/** Refunds WeChat Pay accepted (it has a refund id for them): the ones its bill lists. */
const acceptedRefundStatuses = ['processing', 'succeeded', 'closed', 'abnormal'];

export class KyselyReconciliationStore implements ReconciliationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async claimRun(input: { id: string; billDate: string; mchId: string; workerId: string; now: Date; leaseMs: number; force: boolean }): Promise<RunClaim> {
    const now = input.now.toISOString();
    await this.db
      .insertInto('reconciliation_runs')
      .values({ id: input.id, bill_date: input.billDate, mch_id: input.mchId, status: 'waiting', last_error: null, next_attempt_at: now, leased_by: null, lease_until: null, totals: null, started_at: null, finished_at: null })
      .onConflict((oc) => oc.columns(['mch_id', 'bill_date']).doNothing())
      .execute();
    // One conditional update decides which instance runs the day: not done, and no live lease.
    let claim = this.db
      .updateTable('reconciliation_runs')
      .set((eb) => ({ status: 'running', leased_by: input.workerId, lease_until: new Date(input.now.getTime() + input.leaseMs).toISOString(), attempts: eb('attempts', '+', 1), started_at: now }))
      .where('mch_id', '=', input.mchId)
      .where('bill_date', '=', input.billDate)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]));
    if (!input.force) claim = claim.where('status', '<>', 'succeeded');
    const claimed = await claim.returningAll().executeTakeFirst();
    if (claimed) return { kind: 'claimed', run: toRun(claimed) };
    const current = await this.db.selectFrom('reconciliation_runs').selectAll().where('mch_id', '=', input.mchId).where('bill_date', '=', input.billDate).executeTakeFirstOrThrow();
    return current.status === 'succeeded' ? { kind: 'done', run: toRun(current) } : { kind: 'busy' };
  }

  async finishRun(
    runId: string,
    outcome: { status: 'succeeded'; totals: DayTotals; discrepancies: number; at: Date } | { status: 'waiting' | 'failed'; error: string; nextAttemptAt: Date; at: Date },
  ): Promise<void> {
    const at = outcome.at.toISOString();
    const fields =
      outcome.status === 'succeeded'
        ? { status: 'succeeded', totals: JSON.stringify(outcome.totals), discrepancies: outcome.discrepancies, last_error: null, next_attempt_at: null, finished_at: at }
        : { status: outcome.status, last_error: outcome.error, next_attempt_at: outcome.nextAttemptAt.toISOString(), finished_at: at };
    await this.db.updateTable('reconciliation_runs').set({ ...fields, leased_by: null, lease_until: null }).where('id', '=', runId).where('status', '=', 'running').execute();
  }

  async listRuns(limit: number): Promise<ReconciliationRun[]> {
    return (await this.db.selectFrom('reconciliation_runs').selectAll().orderBy('bill_date', 'desc').limit(limit).execute()).map(toRun);
  }

  async dueRetries(now: Date, mchId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('reconciliation_runs')
      .select('bill_date')
      .where('mch_id', '=', mchId)
      .where('status', 'in', ['waiting', 'failed', 'running'])
      .where((eb) => eb.or([eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now.toISOString())]), eb.and([eb('status', '<>', 'running'), eb('next_attempt_at', '<=', now.toISOString())])]))
      .orderBy('bill_date')
      .execute();
    return rows.map((row) => row.bill_date);
  }

  async paymentsByOutTradeNo(outTradeNos: readonly string[]): Promise<Map<string, OurPayment>> {
    const found = new Map<string, OurPayment>();
    for (let i = 0; i < outTradeNos.length; i += IN_CHUNK) {
      const rows = await this.db
        .selectFrom('orders')
        .select(['id', 'out_trade_no', 'status', 'app_id', 'mch_id', 'payable_fen', 'transaction_id', 'paid_at'])
        .where('out_trade_no', 'in', outTradeNos.slice(i, i + IN_CHUNK))
        .execute();
      for (const row of rows) found.set(row.out_trade_no, toPayment(row));
    }
    return found;
  }

  async refundsByOutRefundNo(outRefundNos: readonly string[]): Promise<Map<string, OurRefund>> {
    const found = new Map<string, OurRefund>();
    for (let i = 0; i < outRefundNos.length; i += IN_CHUNK) {
      const rows = await this.db
        .selectFrom('refunds')
        .select(['out_refund_no', 'out_trade_no', 'transaction_id', 'refund_fen', 'status'])
        .where('out_refund_no', 'in', outRefundNos.slice(i, i + IN_CHUNK))
        .execute();
      for (const row of rows) found.set(row.out_refund_no, toRefund(row));
    }
    return found;
  }

  async paidTotalsBetween(start: Date, end: Date): Promise<{ count: number; fen: number }> {
    const row = await this.db
      .selectFrom('orders')
      .select((eb) => [eb.fn.countAll().as('count'), eb.fn.sum('payable_fen').as('fen')])
      .where('paid_at', '>=', start.toISOString())
      .where('paid_at', '<', end.toISOString())
      .where('transaction_id', 'is not', null)
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), fen: Number(row.fen ?? 0) };
  }

  async *paidBetween(start: Date, end: Date): AsyncIterable<OurPayment> {
    // Keyset over (paid_at, id) as a row value, so both databases start each page on the index.
    let after = { at: start.toISOString(), id: '' };
    for (;;) {
      const rows = await this.db
        .selectFrom('orders')
        .select(['id', 'out_trade_no', 'status', 'app_id', 'mch_id', 'payable_fen', 'transaction_id', 'paid_at'])
        .where((eb) => eb(eb.refTuple('paid_at', 'id'), '>', eb.tuple(after.at, after.id)))
        .where('paid_at', '<', end.toISOString())
        .where('transaction_id', 'is not', null)
        .orderBy('paid_at')
        .orderBy('id')
        .limit(PAGE)
        .execute();
      for (const row of rows) yield toPayment(row);
      const last = rows.at(-1);
      if (!last || rows.length < PAGE || last.paid_at === null) return;
      after = { at: last.paid_at, id: last.id };
    }
  }

  async *refundsBetween(start: Date, end: Date): AsyncIterable<OurRefund> {
    let after = { at: start.toISOString(), id: '' };
    for (;;) {
      const rows = await this.db
        .selectFrom('refunds')
        .select(['id', 'out_refund_no', 'out_trade_no', 'transaction_id', 'refund_fen', 'status', 'created_at'])
        .where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.at, after.id)))
        .where('created_at', '<', end.toISOString())
        .where('status', 'in', acceptedRefundStatuses)
        .orderBy('created_at')
        .orderBy('id')
        .limit(PAGE)
        .execute();
      for (const row of rows) yield toRefund(row);
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = { at: last.created_at, id: last.id };
    }
  }

  async recordDiscrepancies(runId: string, billDate: string, discrepancies: readonly Discrepancy[], at: Date): Promise<number> {
    let added = 0;
    for (const d of discrepancies) {
      const result = await this.db
        .insertInto('reconciliation_discrepancies')
        .values({
          id: `${billDate}:${d.kind}:${d.outTradeNo}:${d.outRefundNo ?? ''}`,
          run_id: runId,
          bill_date: billDate,
          kind: d.kind,
          dedupe_key: `${billDate}:${d.kind}:${d.outTradeNo}:${d.outRefundNo ?? ''}`,
          out_trade_no: d.outTradeNo,
          transaction_id: d.transactionId,
          out_refund_no: d.outRefundNo,
          our_fen: d.ourFen,
          bill_fen: d.billFen,
          detail: d.detail,
          status: d.status,
          resolution_note: null,
          detected_at: at.toISOString(),
          resolved_at: null,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return added;
  }

  async listDiscrepancies(page: { status?: DiscrepancyStatus; limit: number }): Promise<DiscrepancyRecord[]> {
    let query = this.db.selectFrom('reconciliation_discrepancies').selectAll();
    if (page.status !== undefined) query = query.where('status', '=', page.status);
    return (await query.orderBy('detected_at', 'desc').orderBy('id').limit(page.limit).execute()).map(toDiscrepancy);
  }

  async findDiscrepancy(id: string): Promise<DiscrepancyRecord | null> {
    const row = await this.db.selectFrom('reconciliation_discrepancies').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDiscrepancy(row) : null;
  }

  async resolveDiscrepancy(id: string, note: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('reconciliation_discrepancies')
      .set({ status: 'resolved', resolution_note: note, resolved_at: at.toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}

function toRun(row: Selectable<ReconciliationRunsTable>): ReconciliationRun {
  return {
    id: row.id,
    billDate: row.bill_date,
    mchId: row.mch_id,
    status: row.status as RunStatus,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    nextAttemptAt: dateOrNull(row.next_attempt_at),
    totals: row.totals === null ? null : (JSON.parse(row.totals) as DayTotals),
    discrepancies: Number(row.discrepancies),
    startedAt: dateOrNull(row.started_at),
    finishedAt: dateOrNull(row.finished_at),
  };
}

function toPayment(row: { id: string; out_trade_no: string; status: string; app_id: string; mch_id: string; payable_fen: number | string; transaction_id: string | null; paid_at: string | null }): OurPayment {
  return {
    orderId: row.id,
    outTradeNo: row.out_trade_no,
    status: row.status,
    appId: row.app_id,
    mchId: row.mch_id,
    payableFen: Number(row.payable_fen),
    transactionId: row.transaction_id,
    paidAt: dateOrNull(row.paid_at),
  };
}

function toRefund(row: { out_refund_no: string; out_trade_no: string; transaction_id: string; refund_fen: number | string; status: string }): OurRefund {
  return { outRefundNo: row.out_refund_no, outTradeNo: row.out_trade_no, transactionId: row.transaction_id, refundFen: Number(row.refund_fen), status: row.status };
}

function toDiscrepancy(row: Selectable<ReconciliationDiscrepanciesTable>): DiscrepancyRecord {
  const fen = (value: number | string | null) => (value === null ? null : Number(value));
  return {
    id: row.id,
    runId: row.run_id,
    billDate: row.bill_date,
    kind: row.kind as DiscrepancyKind,
    outTradeNo: row.out_trade_no,
    transactionId: row.transaction_id,
    outRefundNo: row.out_refund_no,
    ourFen: fen(row.our_fen),
    billFen: fen(row.bill_fen),
    detail: row.detail,
    status: row.status as DiscrepancyStatus,
    detectedAt: new Date(row.detected_at),
    resolvedAt: dateOrNull(row.resolved_at),
    resolutionNote: row.resolution_note,
  };
}
