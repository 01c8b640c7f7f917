import type { Router } from '@koa/router';
import { buildRefundNotifyAck, buildRefundNotifyFailAck } from '@checkout/protocol/wxpay';
import type { BffMetrics } from '../../metrics/bff-metrics';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { handleRefundNotification } from '../../domain/refunds/handle-refund-notification';
import type { AppState } from '../app-state';
import { readCallbackBody } from '../read-callback-body';

/** The refund notify_url path (WXPAY_REFUND_NOTIFY_URL points here through the public host). */
export const REFUND_NOTIFY_PATH = '/wxpay/refund-notify';

/**
 * POST /wxpay/refund-notify: WeChat Pay's refund-result callback, read raw, decrypted, checked
 * and applied once; answered with the XML ack (FAIL makes WeChat Pay send it again later).
 */
export function refundNotifyRoutes(router: Router<AppState>, deps: { checkout: CheckoutDeps; notifyLimitBytes: number; metrics?: Pick<BffMetrics, 'refundNotifications'> }): void {
  router.post(REFUND_NOTIFY_PATH, async (ctx) => {
    const raw = await readCallbackBody(ctx, deps.notifyLimitBytes, buildRefundNotifyFailAck);
    if (raw === null) {
      deps.metrics?.refundNotifications.inc({ result: 'rejected:oversize' });
      return;
    }
    try {
      const outcome = await handleRefundNotification({ ...deps.checkout, logger: ctx.state.log }, raw);
      if (outcome.kind === 'rejected') {
        ctx.state.log.warn({ reason: outcome.reason }, 'refund notification rejected');
        deps.metrics?.refundNotifications.inc({ result: `rejected:${outcome.reason.split(':')[0] ?? 'unknown'}` });
        ctx.status = 400;
        ctx.body = buildRefundNotifyFailAck(outcome.reason.split(':')[0] ?? 'rejected');
        return;
      }
      deps.metrics?.refundNotifications.inc({ result: outcome.kind });
      ctx.body = buildRefundNotifyAck();
    } catch (error) {
      const err = error instanceof Error ? { name: error.name, message: error.message } : { value: typeof error };
      ctx.state.log.error({ err }, 'refund notification could not be processed');
      deps.metrics?.refundNotifications.inc({ result: 'rejected:internal' });
      ctx.status = 500;
      ctx.body = buildRefundNotifyFailAck('temporarily unavailable');
    }
  });
}
