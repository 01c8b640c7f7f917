import type { Router } from '@koa/router';
import { buildNotifyAck, buildNotifyFailAck } from '@checkout/protocol/wxpay';
import type { BffMetrics } from '../../metrics/bff-metrics';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { handlePayNotification } from '../../domain/settlement/handle-pay-notification';
import type { NotificationVerifier } from '../../domain/ports/payment-gateway';
import type { AppState } from '../app-state';
import { readCallbackBody } from '../read-callback-body';

/**
 * POST /wxpay/notify: WeChat Pay's pay-result callback. The raw body is read here (no JSON/XML
 * body parser), verified and applied; the answer is always the XML ack WeChat Pay expects.
 */
export function notifyRoutes(router: Router<AppState>, deps: {
  checkout: CheckoutDeps;
  verifier: NotificationVerifier;
  notifyLimitBytes: number;
  metrics?: Pick<BffMetrics, 'notifications' | 'notificationUnexpectedShapes'>;
}): void {
  router.post('/wxpay/notify', async (ctx) => {
    const raw = await readCallbackBody(ctx, deps.notifyLimitBytes, buildNotifyFailAck);
    if (raw === null) {
      ctx.state.log.warn({ reason: 'oversize' }, 'pay notification rejected');
      deps.metrics?.notifications.inc({ result: 'rejected', reason: 'oversize' });
      return;
    }
    try {
      const outcome = await handlePayNotification({ ...deps.checkout, verifier: deps.verifier, logger: ctx.state.log }, raw);
      deps.metrics?.notifications.inc(outcome.ack ? { result: 'accepted', reason: outcome.duplicate ? 'duplicate' : 'none' } : { result: 'rejected', reason: outcome.reason });
      // Field names come from a verified body; coupon_$n is bounded by the parser (≤ 100).
      if (outcome.ack) for (const field of outcome.unexpectedShapes) deps.metrics?.notificationUnexpectedShapes.inc({ field });
      ctx.status = outcome.ack ? 200 : 400;
      ctx.body = outcome.ack ? buildNotifyAck() : buildNotifyFailAck(outcome.reason);
    } catch (error) {
      // A database failure: FAIL makes WeChat Pay retry later, which is what we want.
      const err = error instanceof Error ? { name: error.name, message: error.message } : { value: typeof error };
      ctx.state.log.error({ err }, 'pay notification could not be processed');
      deps.metrics?.notifications.inc({ result: 'rejected', reason: 'internal' });
      ctx.status = 500;
      ctx.body = buildNotifyFailAck('temporarily unavailable');
    }
  });
}
