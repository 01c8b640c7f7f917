import { z } from 'zod';
import { fenSchema } from './money';
import { adminShippingViewSchema, recordShipmentRequestSchema, recordShipmentResponseSchema } from './admin-shipping';

/**
 * The merchant back office (not under /api: Bearer ADMIN_TOKEN, no buyer session, no CORS).
 * Refund statuses as operators see them, WeChat Pay's own distinctions kept.
 */
export const adminRefundStatuses = ['requested', 'processing', 'succeeded', 'closed', 'abnormal', 'refused'] as const;

export const adminRefundSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  outTradeNo: z.string(),
  transactionId: z.string(),
  outRefundNo: z.string(),
  refundId: z.nullable(z.string()),
  totalFen: fenSchema,
  refundFen: fenSchema,
  status: z.enum(adminRefundStatuses),
  source: z.enum(['operator', 'anomaly', 'merchant_portal']),
  reason: z.nullable(z.string()),
  anomalyId: z.nullable(z.string()),
  lastError: z.nullable(z.string()),
  attempts: z.number(),
  nextAttemptAt: z.nullable(z.iso.datetime()),
  receivedBy: z.nullable(z.string()),
  succeededAt: z.nullable(z.iso.datetime()),
  createdAt: z.iso.datetime(),
});
export type AdminRefund = z.infer<typeof adminRefundSchema>;

/** POST /admin/orders/:id/refunds, with an Idempotency-Key header. */
export const createRefundRequestSchema = z.strictObject({
  amountFen: fenSchema.check(z.gte(1)),
  /** refund_desc, shown to the buyer by WeChat. */
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
});
export type CreateRefundRequest = z.infer<typeof createRefundRequestSchema>;

export const refundResponseSchema = z.object({ refund: adminRefundSchema });
export const refundListResponseSchema = z.object({ refunds: z.array(adminRefundSchema) });

export const refundListQuerySchema = z.strictObject({
  status: z.optional(z.enum(adminRefundStatuses)),
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(200))),
});

/** GET /admin/attention: what an operator must look at. */
export const attentionResponseSchema = z.object({
  /** Refunds that ended in CHANGE (money back at WeChat Pay) or were refused as sent. */
  refunds: z.array(adminRefundSchema),
  /** Refunds WeChat Pay has not confirmed receiving after several attempts. */
  unsettledRefunds: z.array(adminRefundSchema),
  /** Money taken by mistake not yet refunded (held, or its automatic refund is still on its way). */
  openAnomalies: z.array(z.object({ id: z.string(), orderId: z.string(), kind: z.string(), transactionId: z.string(), amountFen: fenSchema, detectedAt: z.iso.datetime() })),
});
export type AttentionResponse = z.infer<typeof attentionResponseSchema>;

/** POST /admin/orders/:id/goods-return: goods of a subsidy order came back, refunded outside WeChat Pay. */
export const goodsReturnRequestSchema = z.strictObject({
  /** 线上平台退款交易编号 as sent in refund_id. */
  refundId: z.string().check(z.regex(/^[0-9A-Za-z_\-|*]{1,64}$/, 'refundId must be 1–64 of [0-9A-Za-z_-|*]')),
  /** When the goods came back (RFC 3339); default: now. */
  returnedAt: z.optional(z.iso.datetime({ offset: true })),
});
export type GoodsReturnRequest = z.infer<typeof goodsReturnRequestSchema>;
export const goodsReturnResponseSchema = z.object({ outcome: z.enum(['enqueued', 'duplicate', 'not_subsidy', 'unbuildable']) });

export const revokeSessionsResponseSchema = z.object({ revoked: z.literal(true) });

export const paymentAnomalyListQuerySchema = z.strictObject({
  status: z.optional(z.enum(['open', 'refunded', 'resolved'])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
export const paymentAnomalyListResponseSchema = z.object({
  anomalies: z.array(
    z.object({
      id: z.string(),
      orderId: z.string(),
      outTradeNo: z.string(),
      kind: z.enum(['double_payment', 'paid_after_close']),
      transactionId: z.string(),
      amountFen: fenSchema,
      status: z.string(),
      detail: z.string(),
      detectedAt: z.iso.datetime(),
    }),
  ),
  nextCursor: z.nullable(z.string()),
});

const tallySchema = z.object({ count: z.number(), fen: z.number() });

export const reconciliationRunSchema = z.object({
  id: z.string(),
  billDate: z.string(),
  status: z.enum(['running', 'waiting', 'failed', 'succeeded']),
  attempts: z.number(),
  lastError: z.nullable(z.string()),
  nextAttemptAt: z.nullable(z.iso.datetime()),
  totals: z.nullable(z.object({ billPayments: tallySchema, billRefunds: tallySchema, ourPayments: tallySchema, ourRefunds: tallySchema })),
  discrepancies: z.number(),
  startedAt: z.nullable(z.iso.datetime()),
  finishedAt: z.nullable(z.iso.datetime()),
});
export type ReconciliationRunView = z.infer<typeof reconciliationRunSchema>;

export const discrepancySchema = z.object({
  id: z.string(),
  billDate: z.string(),
  kind: z.string(),
  outTradeNo: z.string(),
  transactionId: z.nullable(z.string()),
  outRefundNo: z.nullable(z.string()),
  ourFen: z.nullable(z.number()),
  billFen: z.nullable(z.number()),
  detail: z.string(),
  status: z.enum(['open', 'recovered', 'resolved']),
  detectedAt: z.iso.datetime(),
  resolvedAt: z.nullable(z.iso.datetime()),
  resolutionNote: z.nullable(z.string()),
});
export type DiscrepancyView = z.infer<typeof discrepancySchema>;

/** POST /admin/reconciliation/runs: reconcile one Beijing day now (`force`: again, though it succeeded). */
export const runReconciliationRequestSchema = z.strictObject({
  billDate: z.string().check(z.regex(/^\d{8}$/, 'billDate is yyyyMMdd (a Beijing day)')),
  force: z.optional(z.boolean()),
});
export const runReconciliationResponseSchema = z.object({ outcome: z.enum(['succeeded', 'already_done', 'busy', 'waiting', 'failed']), reason: z.optional(z.string()), newDiscrepancies: z.optional(z.number()), recovered: z.optional(z.number()) });
export const resolveDiscrepancyRequestSchema = z.strictObject({ note: z.string().check(z.minLength(1), z.maxLength(500)) });

export interface AdminRoute {
  method: 'GET' | 'POST';
  path: string;
  request: z.ZodType | null;
  response: z.ZodType;
  status: 200 | 201 | 202;
}

/** The back-office endpoints, written once (the BFF mounts them from here, test clients call them). */
export const adminRoutes = {
  refundOrder: { method: 'POST', path: '/admin/orders/:id/refunds', request: createRefundRequestSchema, response: refundResponseSchema, status: 201 },
  listOrderRefunds: { method: 'GET', path: '/admin/orders/:id/refunds', request: null, response: refundListResponseSchema, status: 200 },
  listRefunds: { method: 'GET', path: '/admin/refunds', request: refundListQuerySchema, response: refundListResponseSchema, status: 200 },
  attention: { method: 'GET', path: '/admin/attention', request: null, response: attentionResponseSchema, status: 200 },
  goodsReturn: { method: 'POST', path: '/admin/orders/:id/goods-return', request: goodsReturnRequestSchema, response: goodsReturnResponseSchema, status: 202 },
  revokeSessions: { method: 'POST', path: '/admin/users/:id/revoke-sessions', request: null, response: revokeSessionsResponseSchema, status: 200 },
  listReconciliationRuns: { method: 'GET', path: '/admin/reconciliation/runs', request: null, response: z.object({ runs: z.array(reconciliationRunSchema) }), status: 200 },
  runReconciliation: { method: 'POST', path: '/admin/reconciliation/runs', request: runReconciliationRequestSchema, response: runReconciliationResponseSchema, status: 200 },
  listDiscrepancies: {
    method: 'GET',
    path: '/admin/reconciliation/discrepancies',
    request: z.strictObject({ status: z.optional(z.enum(['open', 'recovered', 'resolved'])), limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100) }),
    response: z.object({ discrepancies: z.array(discrepancySchema) }),
    status: 200,
  },
  resolveDiscrepancy: { method: 'POST', path: '/admin/reconciliation/discrepancies/:id/resolve', request: resolveDiscrepancyRequestSchema, response: z.object({ discrepancy: discrepancySchema }), status: 200 },
  listPaymentAnomalies: { method: 'GET', path: '/admin/payment-anomalies', request: paymentAnomalyListQuerySchema, response: paymentAnomalyListResponseSchema, status: 200 },
  /** Parcels sent for a courier order (Idempotency-Key required): uploaded to WeChat's shipping management. */
  recordShipment: { method: 'POST', path: '/admin/orders/:outTradeNo/shipments', request: recordShipmentRequestSchema, response: recordShipmentResponseSchema, status: 201 },
  /** The local shipping status, each upload's job state, and what WeChat's get_order says. */
  orderShipping: { method: 'GET', path: '/admin/orders/:outTradeNo/shipping', request: null, response: adminShippingViewSchema, status: 200 },
} as const satisfies Record<string, AdminRoute>;
