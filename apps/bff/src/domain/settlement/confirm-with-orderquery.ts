import type { CheckoutDeps } from '../checkout-deps';
import type { OrderRecord } from '../orders/order-record';
import { reloadOrder } from '../orders/load-owned-order';

type Deps = Pick<CheckoutDeps, 'orders' | 'gateway' | 'clock' | 'logger'>;

/**
 * Asks WeChat Pay for the truth about a pending order and applies it. Money state changes only on
 * a verified answer whose amount matches the order. Returns the order as stored afterwards.
 *
 * `transactionId`: a payment known to exist for this order (e.g. from the bill, on an order that
 * is not paid here): the query names that payment, which WeChat Pay looks up before out_trade_no,
 * so the answer is about exactly the money that arrived, not the order's latest attempt.
 */
export async function confirmWithOrderQuery(deps: Deps, order: OrderRecord, known: { transactionId?: string } = {}): Promise<OrderRecord> {
  const now = deps.clock.now();
  await deps.orders.recordQueried(order.id, now);
  const transactionId = known.transactionId ?? order.transactionId ?? undefined;
  const result = await deps.gateway.queryOrder({ outTradeNo: order.outTradeNo, signType: order.signType, ...(transactionId === undefined ? {} : { transactionId }) });

  if (result.kind === 'not_found' && transactionId !== undefined) {
    // An unknown transaction_id says nothing about the order itself: it stays as it is.
    deps.logger.error({ outTradeNo: order.outTradeNo, transactionId }, 'orderquery does not know this transaction_id; not applied');
    await deps.orders.recordEvent(order.id, 'query_mismatch', `transaction_id=${transactionId} ORDERNOTEXIST`, now);
    return reloadOrder(deps, order.id);
  }

  if (result.kind === 'not_found') {
    // Never reached WeChat Pay (unifiedorder failed before it was stored there): close once expired.
    if (now >= order.expiresAt && (await deps.orders.transition(order.id, { kind: 'close', at: now, reason: 'ORDERNOTEXIST' }))) {
      await deps.orders.recordEvent(order.id, 'closed', 'orderquery ORDERNOTEXIST after expiry', now);
    }
    return reloadOrder(deps, order.id);
  }

  // A signed answer about another order or merchant (misrouted, replayed) must not move this one.
  if (
    result.outTradeNo !== order.outTradeNo ||
    result.appId !== order.appId ||
    result.mchId !== order.mchId ||
    (transactionId !== undefined && result.transactionId !== transactionId)
  ) {
    deps.logger.error(
      { outTradeNo: order.outTradeNo, answeredOutTradeNo: result.outTradeNo, appId: result.appId, mchId: result.mchId, askedTransactionId: transactionId, answeredTransactionId: result.transactionId },
      'orderquery answered about another order or merchant; not applied',
    );
    await deps.orders.recordEvent(order.id, 'query_mismatch', `answer for out_trade_no=${result.outTradeNo}`, now);
    return reloadOrder(deps, order.id);
  }

  switch (result.tradeState) {
    case 'SUCCESS':
    case 'REFUND': {
      if (result.totalFee !== order.payableFen || !result.transactionId) {
        deps.logger.error(
          { outTradeNo: order.outTradeNo, expectedFen: order.payableFen, totalFee: result.totalFee, hasTransactionId: Boolean(result.transactionId) },
          'orderquery reports a payment that does not match the order; not applied',
        );
        await deps.orders.recordEvent(order.id, 'query_mismatch', `total_fee=${String(result.totalFee)}`, now);
        break;
      }
      const transition = await deps.orders.markPaid({
        orderId: order.id,
        transactionId: result.transactionId,
        paidAt: result.timeEnd ?? now,
        source: 'orderquery',
      });
      if (transition.kind === 'applied' && transition.paidAfterClose) {
        deps.logger.error({ outTradeNo: order.outTradeNo, transactionId: result.transactionId }, 'payment landed on a closed, cancelled or failed order (orderquery)');
      } else if (transition.kind === 'applied') {
        deps.logger.info({ outTradeNo: order.outTradeNo }, 'order paid (confirmed by orderquery)');
      }
      if (transition.kind === 'conflict') {
        deps.logger.error({ outTradeNo: order.outTradeNo, doublePayment: transition.doublePayment }, 'orderquery transaction conflicts with the stored payment');
      }
      break;
    }
    case 'CLOSED':
    case 'REVOKED':
      if (await deps.orders.transition(order.id, { kind: 'close', at: now, reason: result.tradeState })) {
        await deps.orders.recordEvent(order.id, 'closed', `orderquery ${result.tradeState}`, now);
      }
      break;
    case 'PAYERROR':
      if (await deps.orders.transition(order.id, { kind: 'fail', at: now, failureCode: 'PAYERROR' })) {
        await deps.orders.recordEvent(order.id, 'failed', 'orderquery PAYERROR', now);
      }
      break;
    case 'NOTPAY':
    case 'USERPAYING':
    case 'ACCEPT':
      break;
  }
  return reloadOrder(deps, order.id);
}
