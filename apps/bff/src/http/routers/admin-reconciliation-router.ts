import type { Router } from '@koa/router';
import { adminRoutes, type DiscrepancyView, type ReconciliationRunView } from '@checkout/protocol/contract';
import { DomainError } from '../../domain/domain-error';
import type { DiscrepancyRecord } from '../../domain/reconciliation/discrepancy';
import type { ReconcileOutcome } from '../../domain/reconciliation/reconcile-day';
import type { ReconciliationRun } from '../../domain/reconciliation/reconciliation-run';
import type { ReconciliationStore } from '../../domain/reconciliation/reconciliation-store';
import type { AppState } from '../app-state';
import { requireAdmin } from '../middleware/admin-token';
import { jsonBody } from '../middleware/json-body';
import { mountRoute } from '../mount-route';

export interface ReconciliationAdmin {
  store: Pick<ReconciliationStore, 'listRuns' | 'listDiscrepancies' | 'findDiscrepancy' | 'resolveDiscrepancy'>;
  clock: { now(): Date };
  reconcile(billDate: string, force: boolean): Promise<ReconcileOutcome>;
}

/** The reconciliation's runs and discrepancies for operators (Bearer ADMIN_TOKEN), and a day run on demand. */
export function adminReconciliationRoutes(router: Router<AppState>, deps: ReconciliationAdmin & { token: string | null; jsonLimitBytes: number }): void {
  const admin = requireAdmin(deps.token);
  const json = jsonBody({ limitBytes: deps.jsonLimitBytes });

  mountRoute(router, adminRoutes.listReconciliationRuns, admin, async (ctx) => {
    ctx.body = { runs: (await deps.store.listRuns(100)).map(toRunView) };
  });

  mountRoute(router, adminRoutes.runReconciliation, admin, json, async (ctx) => {
    const body = adminRoutes.runReconciliation.request.parse(ctx.state.body);
    const outcome = await deps.reconcile(body.billDate, body.force === true);
    ctx.body = {
      outcome: outcome.kind,
      ...(outcome.kind === 'waiting' || outcome.kind === 'failed' ? { reason: outcome.reason } : {}),
      ...(outcome.kind === 'succeeded' ? { newDiscrepancies: outcome.newDiscrepancies, recovered: outcome.recovered } : {}),
    };
  });

  mountRoute(router, adminRoutes.listDiscrepancies, admin, async (ctx) => {
    const query = adminRoutes.listDiscrepancies.request.parse(ctx.query);
    ctx.body = { discrepancies: (await deps.store.listDiscrepancies({ limit: query.limit, ...(query.status ? { status: query.status } : {}) })).map(toDiscrepancyView) };
  });

  mountRoute(router, adminRoutes.resolveDiscrepancy, admin, json, async (ctx) => {
    const body = adminRoutes.resolveDiscrepancy.request.parse(ctx.state.body);
    const id = ctx.params.id ?? '';
    if (!(await deps.store.resolveDiscrepancy(id, body.note, deps.clock.now()))) throw new DomainError('NOT_FOUND', 'no open discrepancy with this id');
    const resolved = await deps.store.findDiscrepancy(id);
    if (!resolved) throw new DomainError('NOT_FOUND', 'no open discrepancy with this id');
    ctx.body = { discrepancy: toDiscrepancyView(resolved) };
  });
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

function toRunView(run: ReconciliationRun): ReconciliationRunView {
  return { ...run, nextAttemptAt: iso(run.nextAttemptAt), startedAt: iso(run.startedAt), finishedAt: iso(run.finishedAt) };
}

function toDiscrepancyView(d: DiscrepancyRecord): DiscrepancyView {
  return { ...d, detectedAt: d.detectedAt.toISOString(), resolvedAt: iso(d.resolvedAt) };
}
