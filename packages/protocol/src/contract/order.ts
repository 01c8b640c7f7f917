import { z } from 'zod';
import { fenSchema } from './money';
import { subsidyBuyerSchema } from './subsidy';
import { orderShippingSchema } from './shipping';

export const orderStatuses = ['pending', 'paid', 'closed', 'failed', 'partially_refunded', 'refunded'] as const;
export const orderStatusSchema = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** The cart lines of an order or a quote: product and quantity only, prices come from the server. */
export const orderLinesRequestSchema = z
  .array(
    z.object({
      productId: z.string().check(z.minLength(1), z.maxLength(64)),
      quantity: z.number().check(z.int(), z.gte(1), z.lte(99)),
    }),
  )
  .check(z.minLength(1), z.maxLength(20));

export const createOrderRequestSchema = z.object({
  items: orderLinesRequestSchema,
  /** Required when the cart holds a subsidy-eligible appliance and the buyer claims the subsidy. */
  subsidy: z.optional(subsidyBuyerSchema),
});
export type CreateOrderRequest = z.infer<typeof createOrderRequestSchema>;

export const orderItemSchema = z.object({
  productId: z.string(),
  name: z.string(),
  quantity: z.number().check(z.int(), z.gt(0)),
  unitPriceFen: fenSchema,
  /** National-subsidy discount on this line (all units), 0 when none. */
  subsidyDiscountFen: fenSchema,
});
export type OrderItem = z.infer<typeof orderItemSchema>;

/** Where a refund stands, as the buyer sees it: `processing` (退款中), `succeeded` (已退款), `failed` (closed or refused: the money stayed with the shop), `abnormal` (the buyer's account could not take it; the shop's staff follow up). */
export const refundStates = ['processing', 'succeeded', 'failed', 'abnormal'] as const;

export const orderRefundSchema = z.object({
  id: z.string(),
  amountFen: fenSchema,
  state: z.enum(refundStates),
  createdAt: z.iso.datetime(),
  succeededAt: z.nullable(z.iso.datetime()),
});
export type OrderRefund = z.infer<typeof orderRefundSchema>;

export const orderSchema = z.object({
  id: z.string(),
  outTradeNo: z.string(),
  status: orderStatusSchema,
  items: z.array(orderItemSchema),
  /** Sum of unit price × quantity. */
  totalFen: fenSchema,
  subsidyDiscountFen: fenSchema,
  /** What the buyer pays: totalFen − subsidyDiscountFen; the unifiedorder total_fee. */
  payableFen: fenSchema,
  /** True while a cancel was requested but closeorder is not yet allowed (5-minute floor). */
  cancelRequested: z.boolean(),
  createdAt: z.iso.datetime(),
  /** After this the order can no longer be paid and is closed. */
  expiresAt: z.iso.datetime(),
  paidAt: z.nullable(z.iso.datetime()),
  closedAt: z.nullable(z.iso.datetime()),
  /** Refunds of this order's payment, oldest first. */
  refunds: z.array(orderRefundSchema),
  /** Sum of the succeeded refunds. */
  refundedFen: fenSchema,
  /** Shipping of a paid order (null before payment; absent from servers without shipping management). */
  shipping: z.optional(z.nullable(orderShippingSchema)),
});
export type Order = z.infer<typeof orderSchema>;

/** The five fields passed to `wx.requestPayment` (appId is not sent: the client knows its own). */
export const requestPaymentParamsSchema = z
  .object({
    timeStamp: z.string().check(z.regex(/^\d{10}$/, 'timeStamp must be a string of Unix seconds')),
    nonceStr: z.string().check(z.minLength(1), z.maxLength(32)),
    package: z.string().check(z.regex(/^prepay_id=\S+$/)),
    signType: z.enum(['MD5', 'HMAC-SHA256']),
    paySign: z.string().check(z.regex(/^[0-9A-F]{32}$|^[0-9A-F]{64}$/)),
  })
  // wx.requestPayment recomputes paySign with signType: an MD5-length sign under HMAC-SHA256 (or
  // the reverse) can never succeed, so such a body is a BFF bug, not a payment to attempt.
  .check(
    z.refine((params) => params.paySign.length === (params.signType === 'MD5' ? 32 : 64), {
      path: ['paySign'],
      message: 'paySign length must match signType (MD5: 32 hex, HMAC-SHA256: 64 hex)',
    }),
  );
export type RequestPaymentParams = z.infer<typeof requestPaymentParamsSchema>;

/** Answer to POST /api/orders and POST /api/orders/:id/pay. */
export const orderPaymentResponseSchema = z.object({
  order: orderSchema,
  payment: requestPaymentParamsSchema,
});
export type OrderPaymentResponse = z.infer<typeof orderPaymentResponseSchema>;

export const orderResponseSchema = z.object({ order: orderSchema });
export type OrderResponse = z.infer<typeof orderResponseSchema>;

export const orderListQuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(50)), 20),
  /** Opaque cursor from the previous page's nextCursor. */
  cursor: z.optional(z.string().check(z.maxLength(200))),
});
export type OrderListQuery = z.infer<typeof orderListQuerySchema>;

export const orderListResponseSchema = z.object({
  orders: z.array(orderSchema),
  nextCursor: z.nullable(z.string()),
});
export type OrderListResponse = z.infer<typeof orderListResponseSchema>;
