import type { Router } from '@koa/router';
import type { OrderListResponse, OrderPaymentResponse, OrderResponse, QuoteResponse } from '@checkout/protocol/contract';
import { apiRoutes } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { cancelOrder } from '../../domain/orders/cancel-order';
import { createOrder } from '../../domain/checkout/create-order';
import { DomainError } from '../../domain/domain-error';
import { getOrder } from '../../domain/orders/get-order';
import { listOrders } from '../../domain/orders/list-orders';
import type { OrderWithPayment } from '../../domain/checkout/obtain-payment';
import { payOrder } from '../../domain/checkout/pay-order';
import { quoteCart } from '../../domain/checkout/quote-cart';
import type { AppState } from '../app-state';
import { mountRoute } from '../mount-route';
import { jsonBody } from '../middleware/json-body';
import { requireSession } from '../middleware/require-session';
import { decodeOrderCursor, encodeOrderCursor } from '../order-cursor';
import { toOrderView } from '../order-view';
import { shippingViews } from '../order-shipping-view';
import type { ShippingReader } from '../../domain/shipping/shipping-reader';
import type { OrderRecord } from '../../domain/orders/order-record';
import { idempotencyKey } from '../idempotency-key';


function userOf(state: AppState): string {
  if (!state.userId) throw new DomainError('UNAUTHENTICATED', 'a valid session token is required');
  return state.userId;
}

/** The buyer's orders. Every route requires a session and only ever touches the caller's orders. */
export function orderRoutes(router: Router<AppState>, deps: { checkout: CheckoutDeps; jsonLimitBytes: number; shipping?: ShippingReader }): void {
  const { checkout } = deps;
  const session = requireSession(checkout);
  /** Orders as the buyer sees them, with their shipping blocks when shipping is tracked. */
  const views = async (orders: OrderRecord[]) => {
    if (!deps.shipping) return orders.map((order) => toOrderView(order));
    const shipping = await shippingViews(deps.shipping, orders);
    return orders.map((order) => toOrderView(order, shipping.get(order.id) ?? null));
  };
  // An order being paid has no shipping yet: null, so every answer has the same shape.
  const paymentBody = (result: OrderWithPayment): OrderPaymentResponse => ({ order: toOrderView(result.order, deps.shipping ? null : undefined), payment: result.payment });

  // Public like the catalog: prices a cart, creates nothing, reads no session.
  mountRoute(router, apiRoutes.quoteOrder, jsonBody({ limitBytes: deps.jsonLimitBytes }), async (ctx) => {
    const request = apiRoutes.quoteOrder.request.parse(ctx.state.body);
    const body: QuoteResponse = { quote: await quoteCart(checkout, request) };
    ctx.body = body;
  });

  mountRoute(router, apiRoutes.createOrder, session, jsonBody({ limitBytes: deps.jsonLimitBytes }), async (ctx) => {
    const key = idempotencyKey(ctx.get('idempotency-key'));
    // Unknown fields (e.g. a client-sent price) are stripped by the schema and never read.
    const request = apiRoutes.createOrder.request.parse(ctx.state.body);
    const result = await createOrder(checkout, { userId: userOf(ctx.state), request, idempotencyKey: key });
    ctx.status = apiRoutes.createOrder.status;
    ctx.body = paymentBody(result);
  });

  mountRoute(router, apiRoutes.listOrders, session, async (ctx) => {
    const query = apiRoutes.listOrders.request.parse(ctx.query);
    const page = await listOrders(checkout, {
      userId: userOf(ctx.state),
      limit: query.limit,
      ...(query.cursor ? { before: decodeOrderCursor(query.cursor) } : {}),
    });
    const body: OrderListResponse = { orders: await views(page.orders), nextCursor: page.next ? encodeOrderCursor(page.next) : null };
    ctx.body = body;
  });

  mountRoute(router, apiRoutes.getOrder, session, async (ctx) => {
    const order = await getOrder(checkout, { userId: userOf(ctx.state), orderId: ctx.params.id ?? '' });
    const [view] = await views([order]);
    const body: OrderResponse = { order: view ?? toOrderView(order) };
    ctx.body = body;
  });

  mountRoute(router, apiRoutes.payOrder, session, async (ctx) => {
    ctx.body = paymentBody(await payOrder(checkout, { userId: userOf(ctx.state), orderId: ctx.params.id ?? '' }));
  });

  mountRoute(router, apiRoutes.cancelOrder, session, async (ctx) => {
    const order = await cancelOrder(checkout, { userId: userOf(ctx.state), orderId: ctx.params.id ?? '' });
    const [view] = await views([order]);
    const body: OrderResponse = { order: view ?? toOrderView(order) };
    ctx.body = body;
  });

}
