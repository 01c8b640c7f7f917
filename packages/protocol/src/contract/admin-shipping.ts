import { z } from 'zod';
import { fulfillmentSchema, shippingStatusSchema } from './shipping';

// The back office's side of shipping management (kept apart from shipping.ts, which the
// mini-program bundles: these schemas would only weigh on its main package).

/** Common courier codes of get_delivery_list and their names (others show their code). */
export const courierCompanyNames: Readonly<Record<string, string>> = {
  SF: '顺丰速运',
  YTO: '圆通速递',
  ZTO: '中通快递',
  STO: '申通快递',
  YD: '韵达快递',
  JTSD: '极兔速递',
  JD: '京东物流',
  EMS: 'EMS',
  YZPY: '邮政快递包裹',
  DBL: '德邦快递',
};

export function courierCompanyName(code: string): string | null {
  return Object.prototype.hasOwnProperty.call(courierCompanyNames, code) ? (courierCompanyNames[code] ?? null) : null;
}

/** WeChat allows at most 15 parcels per payment (split shipments included). */
export const MAX_PARCELS_PER_ORDER = 15;

export const parcelInputSchema = z.strictObject({
  trackingNo: z.string().check(z.regex(/^[0-9A-Za-z-]{1,128}$/, 'trackingNo is 1–128 of [0-9A-Za-z-]')),
  expressCompany: z.string().check(z.regex(/^[0-9A-Za-z_]{1,32}$/, 'expressCompany is a get_delivery_list code (1–32 of [0-9A-Za-z_])')),
  /** What is in the parcel (≤ 120 characters, shown to the buyer in WeChat). */
  itemDesc: z.string().check(z.minLength(1), z.maxLength(120)),
  /**
   * The receiver's phone number. Only its masked form (last 4 digits kept, as WeChat requires)
   * is stored and sent; required by WeChat for SF (顺丰).
   */
  receiverContact: z.optional(z.string().check(z.regex(/^\+?[0-9*\- ]{7,20}$/, 'receiverContact is a phone number (7–20 of digits, *, -, space)'))),
});
export type ParcelInput = z.infer<typeof parcelInputSchema>;

/** POST /admin/orders/:outTradeNo/shipments, with an Idempotency-Key header. */
export const recordShipmentRequestSchema = z.strictObject({
  parcels: z.array(parcelInputSchema).check(z.minLength(1), z.maxLength(MAX_PARCELS_PER_ORDER)),
  /** True when these parcels complete the order's delivery (the last, or only, shipment). */
  completesDelivery: z.boolean(),
});
export type RecordShipmentRequest = z.infer<typeof recordShipmentRequestSchema>;

/** The upload to WeChat of one shipment: its outbox job's state. */
export const shippingUploadStates = ['pending', 'uploaded', 'failed'] as const;

export const adminShipmentSchema = z.object({
  id: z.string(),
  sequence: z.number(),
  parcels: z.array(z.object({ trackingNo: z.string(), expressCompany: z.string(), itemDesc: z.string(), receiverContact: z.nullable(z.string()) })),
  completesDelivery: z.boolean(),
  /** The upload_time sent to WeChat (RFC 3339, Beijing), fixed when the shipment was recorded. */
  uploadTime: z.string(),
  upload: z.object({
    state: z.enum(shippingUploadStates),
    attempts: z.number(),
    /** `WX_ERRCODE:<errcode>:<errmsg>` or a transport code; null when none. */
    lastError: z.nullable(z.string()),
    nextAttemptAt: z.nullable(z.iso.datetime()),
  }),
  createdAt: z.iso.datetime(),
});
export type AdminShipment = z.infer<typeof adminShipmentSchema>;

/** order_state of get_order (1 待发货, 2 已发货, 3 确认收货, 4 交易完成, 5 已退款, 6 资金待结算); unknown values kept as numbers. */
export const wechatOrderStateNames: Readonly<Record<number, string>> = {
  1: 'awaiting_shipment',
  2: 'shipped',
  3: 'receipt_confirmed',
  4: 'completed',
  5: 'refunded',
  6: 'awaiting_settlement',
};

export const adminShippingViewSchema = z.object({
  outTradeNo: z.string(),
  fulfillment: fulfillmentSchema,
  status: shippingStatusSchema,
  receivedAt: z.nullable(z.iso.datetime()),
  /** As WeChat's settlement push said (recorded as data, never used for money). */
  confirmReceiveMethod: z.nullable(z.number()),
  settlementTime: z.nullable(z.iso.datetime()),
  shipments: z.array(adminShipmentSchema),
  /** What WeChat's get_order says now; `unavailable` with the reason when it could not be asked. */
  wechat: z.union([
    z.object({
      available: z.literal(true),
      orderState: z.number(),
      orderStateName: z.string(),
      shipped: z.boolean(),
      confirmed: z.boolean(),
      settled: z.boolean(),
      inComplaint: z.boolean(),
      finishShippingCount: z.nullable(z.number()),
      trackingNumbers: z.array(z.string()),
    }),
    z.object({ available: z.literal(false), reason: z.string() }),
  ]),
});
export type AdminShippingView = z.infer<typeof adminShippingViewSchema>;

export const recordShipmentResponseSchema = z.object({ shipment: adminShipmentSchema, status: shippingStatusSchema });
