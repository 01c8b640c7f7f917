import type { CreateOrderRequest } from '@checkout/protocol/contract';
import { formatWxPayTime } from '@checkout/protocol/wxpay';
import type { CheckoutDeps } from '../checkout-deps';
import type { OrderRecord, SubsidyClaimRecord } from '../orders/order-record';
import type { NewOrder } from '../orders/order-repository';
import type { OrderWithPayment } from './obtain-payment';
import { createdOrderRecord } from '../orders/created-order-record';
import { DomainError } from '../domain-error';
import { obtainPayment } from './obtain-payment';
import { orderBody } from './order-body';
import { goodsDetailOf } from './goods-detail';
import { priceCart } from './price-cart';
import { sealSubsidyClaim } from '../subsidy/sealed-subsidy-claim';

export interface CreateOrderInput {
  userId: string;
  request: CreateOrderRequest;
  /** The Idempotency-Key header, when sent. */
  idempotencyKey: string | null;
}

/**
 * Checkout: price on the server, persist the order with its out_trade_no and unifiedorder
 * parameters, then ask WeChat Pay for a prepay_id. A repeated Idempotency-Key with the same body
 * returns the same order (retrying unifiedorder with identical parameters if needed).
 */
export async function createOrder(deps: CheckoutDeps, input: CreateOrderInput): Promise<OrderWithPayment> {
  const fingerprint = deps.fingerprint(input.request);
  if (input.idempotencyKey) {
    const existing = await deps.orders.findByIdempotencyKey(input.userId, input.idempotencyKey);
    if (existing) return replay(deps, existing, fingerprint);
  }

  const user = await deps.users.findById(input.userId);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'session user no longer exists');

  const cart = await priceCart(deps, { items: input.request.items, claimSubsidy: input.request.subsidy !== undefined }, deps.policy.subsidy);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.policy.paymentWindowSeconds * 1000);
  const outTradeNo = deps.ids.outTradeNo(now);
  const detail = deps.policy.singleItemDiscount ? goodsDetailOf(cart.items) : null;
  if (deps.policy.singleItemDiscount && detail === null) {
    deps.logger.warn({ outTradeNo, lines: cart.items.length }, 'order lines do not fit unifiedorder detail; placed without single-item discounts');
  }
  const order: NewOrder = {
    id: deps.ids.orderId(),
    userId: user.id,
    outTradeNo,
    appId: deps.policy.appId,
    mchId: deps.policy.mchId,
    signType: deps.policy.signType,
    totalFen: cart.totalFen,
    subsidyDiscountFen: cart.subsidyDiscountFen,
    payableFen: cart.payableFen,
    unifiedOrder: {
      body: orderBody(deps.policy.orderBodyPrefix, cart.items),
      totalFee: cart.payableFen,
      spbillCreateIp: deps.policy.spbillCreateIp,
      notifyUrl: deps.policy.notifyUrl,
      openid: user.openid,
      timeStart: formatWxPayTime(now),
      timeExpire: formatWxPayTime(expiresAt),
      // Stored with the order, so every retry repeats them even if the settings change meanwhile.
      // No attach: it is echoed back in queries, notifications and bills, and nothing here needs it.
      ...deps.policy.merchantOrderFields,
      ...(detail === null ? {} : { detail }),
    },
    idempotencyKey: input.idempotencyKey,
    requestFingerprint: input.idempotencyKey ? fingerprint : null,
    createdAt: now,
    expiresAt,
    items: cart.items,
    subsidy: sealSubsidy(deps, input.request),
  };

  if ((await deps.orders.create(order)) === 'duplicate_idempotency_key' && input.idempotencyKey) {
    // A concurrent double tap won the insert: answer with its order.
    const existing = await deps.orders.findByIdempotencyKey(input.userId, input.idempotencyKey);
    if (!existing) throw new Error('idempotency key conflict without an order');
    return replay(deps, existing, fingerprint);
  }
  return obtainPayment(deps, createdOrderRecord(order));
}

async function replay(deps: CheckoutDeps, existing: OrderRecord, fingerprint: string): Promise<OrderWithPayment> {
  if (existing.requestFingerprint !== fingerprint) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request body');
  }
  if (existing.status !== 'pending' && existing.prepayId) {
    // Already settled: same order, parameters for its (spent) prepay_id; the client sees the status.
    const payment = deps.gateway.requestPayment({
      prepayId: existing.prepayId,
      signType: existing.signType,
      timestampSeconds: Math.floor(deps.clock.now().getTime() / 1000),
      nonceStr: deps.ids.nonceStr(),
    });
    return { order: existing, payment };
  }
  return obtainPayment(deps, existing);
}

function sealSubsidy(deps: CheckoutDeps, request: CreateOrderRequest): SubsidyClaimRecord | null {
  return request.subsidy ? sealSubsidyClaim(deps.pii, request.subsidy) : null;
}
