import type { RequestPaymentParams } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../checkout-deps';
import type { OrderRecord } from '../orders/order-record';
import { DomainError, ProviderRejectedError, ProviderUnavailableError } from '../domain-error';
import { confirmWithOrderQuery } from '../settlement/confirm-with-orderquery';
import { reloadOrder } from '../orders/load-owned-order';
import { canUpdate } from '../orders/order-lifecycle';

export interface OrderWithPayment {
  order: OrderRecord;
  payment: RequestPaymentParams;
}

type Deps = Pick<CheckoutDeps, 'orders' | 'gateway' | 'clock' | 'ids' | 'logger' | 'policy'>;

/** Throws ORDER_NOT_PAYABLE unless the order can still be paid now. */
function assertPayable(order: OrderRecord, now: Date): void {
  if (!canUpdate(order.status, 'prepay')) throw new DomainError('ORDER_NOT_PAYABLE', `order ${order.id} is ${order.status}`);
  if (order.cancelRequested) throw new DomainError('ORDER_NOT_PAYABLE', `order ${order.id} is being cancelled`);
  if (now >= order.expiresAt) throw new DomainError('ORDER_NOT_PAYABLE', `order ${order.id} payment window has ended`);
}

/**
 * requestPayment parameters for a pending order: the stored prepay_id while it is valid, else a
 * unifiedorder with the order's stored parameters (same out_trade_no, identical fields).
 */
export async function obtainPayment(deps: Deps, order: OrderRecord): Promise<OrderWithPayment> {
  const now = deps.clock.now();
  assertPayable(order, now);

  let prepayId = order.prepayId;
  let current = order;
  const renewBefore = new Date(now.getTime() + deps.policy.prepayRenewMarginSeconds * 1000);
  if (!prepayId || !order.prepayExpiresAt || order.prepayExpiresAt <= renewBefore) {
    prepayId = await requestPrepay(deps, order);
    const at = deps.clock.now();
    const expiresAt = new Date(at.getTime() + deps.policy.prepayLifetimeSeconds * 1000);
    // null: the order was settled (paid by a notification, closed) while unifiedorder was in flight.
    current = (await deps.orders.setPrepay(order, { prepayId, expiresAt, at })) ?? (await reloadOrder(deps, order.id));
  }

  const payment = deps.gateway.requestPayment({
    prepayId,
    signType: order.signType,
    timestampSeconds: Math.floor(deps.clock.now().getTime() / 1000),
    nonceStr: deps.ids.nonceStr(),
  });
  return { order: current, payment };
}

async function requestPrepay(deps: Deps, order: OrderRecord): Promise<string> {
  try {
    const { prepayId } = await deps.gateway.unifiedOrder({ outTradeNo: order.outTradeNo, signType: order.signType, params: order.unifiedOrder });
    return prepayId;
  } catch (error) {
    const now = deps.clock.now();
    if (error instanceof ProviderRejectedError) {
      if (error.providerCode === 'ORDERPAID') {
        await confirmWithOrderQuery(deps, order);
        throw new DomainError('ORDER_NOT_PAYABLE', `order ${order.id} is already paid`);
      }
      if (error.providerCode === 'ORDERCLOSED') {
        await deps.orders.transition(order.id, { kind: 'close', at: now, reason: 'ORDERCLOSED' });
        throw new DomainError('ORDER_NOT_PAYABLE', `order ${order.id} is closed`);
      }
      await deps.orders.recordFailedAttempt(order.id, error.providerCode, now);
      deps.logger.warn({ outTradeNo: order.outTradeNo, errCode: error.providerCode }, 'unifiedorder rejected');
    } else if (error instanceof ProviderUnavailableError) {
      await deps.orders.recordFailedAttempt(order.id, 'PROVIDER_UNAVAILABLE', now);
      deps.logger.warn({ outTradeNo: order.outTradeNo }, 'unifiedorder failed after retries');
    }
    throw error;
  }
}
