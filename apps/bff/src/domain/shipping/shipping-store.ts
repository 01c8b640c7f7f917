import type { Fulfillment, ShippingStatus } from '@checkout/protocol/contract';
import type { OrderShippingRecord, ShipmentRecord } from './shipping-record';
import type { UploadShippingInfoRequest } from './upload-shipping-request';

/** Shipping rows as one database transaction sees them (bound to the caller's transaction). */
export interface ShippingStore {
  /** The fulfillment of each of these products that exists. */
  productFulfillments(productIds: readonly string[]): Promise<Fulfillment[]>;
  /** The order's shipping row, locked for the rest of the transaction where the database can. */
  findForUpdate(orderId: string): Promise<OrderShippingRecord | null>;
  /** Inserts the row; false when the order already has one. */
  create(record: OrderShippingRecord, at: Date): Promise<boolean>;
  shipments(orderId: string): Promise<ShipmentRecord[]>;
  findShipmentByKey(orderId: string, idempotencyKey: string): Promise<ShipmentRecord | null>;
  addShipment(shipment: ShipmentRecord): Promise<void>;
  /**
   * Moves the order's progress on, guarded by the shipment count read before (two operators
   * recording at once: one wins, the other's transaction changes nothing and is refused).
   */
  advance(orderId: string, expectedShipmentCount: number, next: { status: ShippingStatus; parcelCount: number; shipmentCount: number }, at: Date): Promise<boolean>;
  /** Receipt as WeChat reported it; false when the row is already received or does not exist. */
  markReceived(orderId: string, receipt: { receivedAt: Date; confirmReceiveMethod: number | null; settlementTime: Date | null }, at: Date): Promise<boolean>;
}

/** The outbox job kind of an upload to WeChat's shipping management. */
export const SHIPPING_UPLOAD_JOB = 'wechat_shipping_upload';

/** One upload per (order, sequence); the dedupe key also orders an order's uploads (`after`). */
export function shippingUploadDedupeKey(outTradeNo: string, sequence: number): string {
  return `${outTradeNo}:shipping:${sequence}`;
}

/** The outbox payload of an upload. */
export interface ShippingUploadPayload {
  shipmentId: string;
  outTradeNo: string;
  request: UploadShippingInfoRequest;
}
