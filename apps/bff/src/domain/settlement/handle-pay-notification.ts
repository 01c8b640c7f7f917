import type { CheckoutDeps } from '../checkout-deps';
import type { NotificationRejectReason, NotificationVerifier, VerifiedPayNotification } from '../ports/payment-gateway';
import type { NotificationReceipt } from '../orders/order-repository';
import { NotificationRejectedError } from '../ports/payment-gateway';

/**
 * `duplicate`: a repeat of what was already stored (acked, nothing new written);
 * `unexpectedShapes`: optional fields of an undocumented shape (kept raw, never refused).
 */
export type NotifyOutcome =
  | { ack: true; duplicate: boolean; unexpectedShapes: string[] }
  | { ack: false; reason: NotificationRejectReason };

type Deps = Pick<CheckoutDeps, 'orders' | 'clock' | 'logger'> & { verifier: NotificationVerifier };

/**
 * A pay-result notification: verify the signature, check it names our order, merchant and amount,
 * then apply pending → paid in one transaction (exactly once, however many copies arrive).
 * A rejected notification changes nothing and is answered with a FAIL ack so WeChat Pay retries.
 *
 * result_code=FAIL (validly signed): the attempt is stored and the order stays pending, because
 * the buyer may still pay within the window; orderquery (sweeper) settles it as failed or closed.
 */
export async function handlePayNotification(deps: Deps, rawBody: string): Promise<NotifyOutcome> {
  let notification: VerifiedPayNotification;
  try {
    notification = deps.verifier.verifyNotification(rawBody);
  } catch (error) {
    if (!(error instanceof NotificationRejectedError)) throw error;
    deps.logger.warn({ reason: error.reason, detailCode: error.detailCode }, 'pay notification rejected');
    return { ack: false, reason: error.reason };
  }

  const { outTradeNo } = notification;
  const order = await deps.orders.findPaymentTarget(outTradeNo);
  if (!order) return reject(deps, 'unknown_order', { outTradeNo });
  if (notification.appId !== order.appId || notification.mchId !== order.mchId) {
    return reject(deps, 'merchant_mismatch', { outTradeNo, appId: notification.appId, mchId: notification.mchId });
  }
  if (notification.totalFee !== order.payableFen) {
    return reject(deps, 'amount_mismatch', { outTradeNo, totalFee: notification.totalFee, expectedFen: order.payableFen });
  }
  // The order was placed with one algorithm; a notification signed with the other is not WeChat's.
  if (notification.signType !== order.signType) {
    return reject(deps, 'sign_type_mismatch', { outTradeNo, signType: notification.signType, expected: order.signType });
  }
  const { unexpectedShapes } = notification;
  if (unexpectedShapes.length > 0) deps.logger.warn({ outTradeNo, fields: unexpectedShapes }, 'pay notification has optional fields of an undocumented shape; kept raw');

  const now = deps.clock.now();
  if (notification.outcome === 'FAIL') {
    // A replayed FAIL only counts: one row and one event per distinct notification.
    if ((await deps.orders.recordNotification(toReceipt(notification, rawBody, now), order.id)) === 'repeat') return { ack: true, duplicate: true, unexpectedShapes };
    await deps.orders.recordFailedAttempt(order.id, notification.errCode ?? 'PAY_FAIL', now);
    deps.logger.info({ outTradeNo, errCode: notification.errCode }, 'payment attempt failed (notification)');
    return { ack: true, duplicate: false, unexpectedShapes };
  }

  if (!notification.transactionId) return reject(deps, 'malformed', { outTradeNo, missing: 'transaction_id' });
  if (order.status === 'paid' && order.transactionId === notification.transactionId) {
    // A repeat of the payment already applied (WeChat Pay resends until it sees our ack). A paid
    // order's transaction_id never changes (every other write requires pending), so the
    // transaction below could only answer already_paid. The copy that paid the order is stored;
    // repeats are acked without a write (counted in the metrics), so a resend storm or a
    // replayed valid body costs one indexed read, never disk.
    deps.logger.debug({ outTradeNo }, 'repeat of an applied payment acknowledged');
    return { ack: true, duplicate: true, unexpectedShapes };
  }
  const transition = await deps.orders.markPaid({
    orderId: order.id,
    transactionId: notification.transactionId,
    paidAt: notification.timeEnd ?? now,
    source: 'notify',
    notification: toReceipt(notification, rawBody, now),
  });
  switch (transition.kind) {
    case 'applied':
      if (transition.paidAfterClose) {
        // Recorded as paid (the money must not be lost) and listed for an operator or a refund.
        deps.logger.error({ outTradeNo, transactionId: notification.transactionId }, 'payment landed on a closed, cancelled or failed order');
        return { ack: true, duplicate: false, unexpectedShapes };
      }
      deps.logger.info({ outTradeNo }, 'order paid (notification)');
      return { ack: true, duplicate: false, unexpectedShapes };
    case 'already_paid':
      return { ack: true, duplicate: true, unexpectedShapes };
    case 'conflict':
      if (transition.doublePayment) {
        if (!transition.newAnomaly) return { ack: true, duplicate: true, unexpectedShapes };
        deps.logger.error({ outTradeNo, transactionId: notification.transactionId }, 'possible double payment: a second transaction for a paid order');
        return { ack: true, duplicate: false, unexpectedShapes };
      }
      // Verified money movement we cannot apply: needs a human (likely a refund). Retrying won't help.
      deps.logger.error({ outTradeNo }, 'paid notification conflicts with the stored payment; needs manual review');
      return { ack: true, duplicate: false, unexpectedShapes };
  }
}

/** What is stored of a notification; built only when one is stored (its key costs a hash). */
function toReceipt(notification: VerifiedPayNotification, rawBody: string, receivedAt: Date): NotificationReceipt {
  return {
    dedupeKey: notification.dedupeKey,
    outTradeNo: notification.outTradeNo,
    transactionId: notification.transactionId,
    outcome: notification.outcome,
    errCode: notification.errCode,
    rawBody,
    receivedAt,
  };
}

function reject(deps: Deps, reason: NotificationRejectReason, context: Record<string, unknown>): NotifyOutcome {
  deps.logger.warn({ reason, ...context }, 'pay notification rejected');
  return { ack: false, reason };
}
