import { z } from 'zod';

/**
 * How a product reaches the buyer, as WeChat's shipping management (发货信息管理) distinguishes it.
 * `courier`: a parcel with a tracking number (uploaded when the shop records the shipment);
 * `virtual` and `pickup`: nothing to track (uploaded as soon as the order is paid).
 */
export const fulfillmentKinds = ['courier', 'virtual', 'pickup'] as const;
export const fulfillmentSchema = z.enum(fulfillmentKinds);
export type Fulfillment = z.infer<typeof fulfillmentSchema>;

/**
 * Where the goods stand: `not_shipped` (未发货), `partially_shipped` (some parcels sent),
 * `shipped` (已发货: every parcel sent, or virtual / pick-up goods made available), `received`
 * (已确认收货, as WeChat reported it).
 */
export const shippingStatuses = ['not_shipped', 'partially_shipped', 'shipped', 'received'] as const;
export const shippingStatusSchema = z.enum(shippingStatuses);
export type ShippingStatus = z.infer<typeof shippingStatusSchema>;

export const parcelViewSchema = z.object({
  trackingNo: z.string(),
  /** The courier company code of WeChat's get_delivery_list (`SF`, `YTO`, …). */
  expressCompany: z.string(),
  /** A Chinese name for the code when it is a common one, else null (show the code). */
  expressCompanyName: z.nullable(z.string()),
});
export type ParcelView = z.infer<typeof parcelViewSchema>;

/** The shipping block of a paid order, as the buyer sees it. */
export const orderShippingSchema = z.object({
  fulfillment: fulfillmentSchema,
  status: shippingStatusSchema,
  parcels: z.array(parcelViewSchema),
  /**
   * What WeChat's receipt confirmation component (`wx.openBusinessView`, businessType
   * `weappOrderConfirm`) needs, while the goods are shipped by courier and not yet received; else null.
   */
  confirmReceipt: z.nullable(z.object({ merchantId: z.string(), merchantTradeNo: z.string() })),
  receivedAt: z.nullable(z.iso.datetime()),
});
export type OrderShipping = z.infer<typeof orderShippingSchema>;
