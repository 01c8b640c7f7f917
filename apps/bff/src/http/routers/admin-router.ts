import type { Router } from '@koa/router';
import { adminRoutes as adminRouteTable } from '@checkout/protocol/contract';
import { DomainError } from '../../domain/domain-error';
import { requireAdmin } from '../middleware/admin-token';
import { mountRoute } from '../mount-route';
import { subsidyApiErrorCode } from './subsidy-api-error-code';
import type { GovSyncEnqueueOutcome } from '../../domain/subsidy/gov-subsidy-sync-enqueuer';
import type { GoodsReturnInput } from '../../domain/subsidy/record-goods-return';
import { SubsidyError } from '../../domain/subsidy/subsidy-error';
import type { AppState } from '../app-state';
import type { ReconciliationAdmin } from './admin-reconciliation-router';
import { jsonBody } from '../middleware/json-body';

export interface AdminRouterDeps {
  /** Bearer token; null = every admin call answers 401. */
  token: string | null;
  /** GOV_SUBSIDY_SYNC_ENABLED: off, no REDEEM was ever sent, so a REFUND must not be either. */
  syncEnabled: boolean;
  /** The goods-return use-case, bound to its database and enqueuer by the composition root. */
  recordGoodsReturn: (input: GoodsReturnInput) => Promise<GovSyncEnqueueOutcome>;
  jsonLimitBytes: number;
  /** Called after a REFUND sync job committed, so the outbox worker sends it now. */
  onEnqueued?: () => void;
  /** The reconciliation runs and discrepancies, and a run of one day on demand. */
  reconciliation: ReconciliationAdmin;
}

/**
 * Merchant back-office endpoints (not under /api: no buyer session, no public rate limit, no CORS).
 * Authenticated before the body is read.
 */
export function adminRoutes(router: Router<AppState>, deps: AdminRouterDeps): void {
  /** The goods of a subsidy order came back: sync CATE_STATE_REFUND with refund_id (idempotent per order). */
  mountRoute(router, adminRouteTable.goodsReturn, requireAdmin(deps.token), jsonBody({ limitBytes: deps.jsonLimitBytes }), async (ctx) => {
    if (!deps.syncEnabled) {
      throw new DomainError('SUBSIDY_NOT_ELIGIBLE', 'national-subsidy sync is off on this server (GOV_SUBSIDY_SYNC_ENABLED=0): goods returns are not synced');
    }
    const body = adminRouteTable.goodsReturn.request.parse(ctx.state.body);
    try {
      const outcome = await deps.recordGoodsReturn({ orderId: ctx.params.id ?? '', refundId: body.refundId, ...(body.returnedAt ? { returnedAt: new Date(body.returnedAt) } : {}) });
      if (outcome === 'enqueued') deps.onEnqueued?.();
      ctx.status = outcome === 'enqueued' ? adminRouteTable.goodsReturn.status : 200;
      ctx.body = { outcome };
    } catch (error) {
      if (error instanceof SubsidyError) throw new DomainError(subsidyApiErrorCode(error.code), error.message);
      throw error;
    }
  });
}
