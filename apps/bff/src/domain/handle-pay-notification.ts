import type { CheckoutDeps } from './checkout-deps';
import type { NotificationRejectReason, NotificationVerifier, VerifiedPayNotification } from './payment-gateway';
import type { NotificationReceipt } from './order-repository';
import { NotificationRejectedError } from './payment-gateway';

/** `duplicate`: a repeat of the payment already applied, acked without touching the database. */
export type NotifyOutcome = { ack: true; duplicate: boolean } | { ack: false; reason: NotificationRejectReason };

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

  const now = deps.clock.now();
  const receipt: NotificationReceipt = {
    outTradeNo,
    transactionId: notification.transactionId,
    outcome: notification.outcome,
    errCode: notification.errCode,
    rawBody,
    receivedAt: now,
  };

  if (notification.outcome === 'FAIL') {
    await deps.orders.recordNotification(receipt, order.id);
    await deps.orders.recordFailedAttempt(order.id, notification.errCode ?? 'PAY_FAIL', now);
    deps.logger.info({ outTradeNo, errCode: notification.errCode }, 'payment attempt failed (notification)');
    return { ack: true, duplicate: false };
  }

  if (!notification.transactionId) return reject(deps, 'malformed', { outTradeNo, missing: 'transaction_id' });
  if (order.status === 'paid' && order.transactionId === notification.transactionId) {
    // A repeat of the payment already applied (WeChat Pay resends until it sees our ack). A paid
    // order's transaction_id never changes (every other write requires pending), so the
    // transaction below could only answer already_paid. The copy that paid the order is stored;
    // repeats are acked without a write (counted in the metrics), so a resend storm or a
    // replayed valid body costs one indexed read, never disk.
    deps.logger.debug({ outTradeNo }, 'repeat of an applied payment acknowledged');
    return { ack: true, duplicate: true };
  }
  const transition = await deps.orders.markPaid({
    orderId: order.id,
    transactionId: notification.transactionId,
    paidAt: notification.timeEnd ?? now,
    source: 'notify',
    notification: receipt,
  });
  switch (transition.kind) {
    case 'applied':
      deps.logger.info({ outTradeNo }, 'order paid (notification)');
      break;
    case 'already_paid':
      break;
    case 'conflict':
      // Verified money movement we cannot apply: needs a human (likely a refund). Retrying won't help.
      deps.logger.error({ outTradeNo }, 'paid notification conflicts with the stored payment; needs manual review');
      break;
  }
  return { ack: true, duplicate: transition.kind === 'already_paid' };
}

function reject(deps: Deps, reason: NotificationRejectReason, context: Record<string, unknown>): NotifyOutcome {
  deps.logger.warn({ reason, ...context }, 'pay notification rejected');
  return { ack: false, reason };
}
