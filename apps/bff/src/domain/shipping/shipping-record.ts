import type { Fulfillment, ShippingStatus } from '@checkout/protocol/contract';

/** A parcel as stored and sent: the contact is already masked. */
export interface ParcelRecord {
  trackingNo: string;
  expressCompany: string;
  itemDesc: string;
  receiverContact: string | null;
}

/** One upload to WeChat's shipping management (its outbox job has `jobDedupeKey`). */
export interface ShipmentRecord {
  id: string;
  orderId: string;
  /** 1 for the first upload of the order, then 2, 3, … */
  sequence: number;
  idempotencyKey: string | null;
  requestFingerprint: string | null;
  parcels: ParcelRecord[];
  completesDelivery: boolean;
  /** RFC 3339 Beijing, fixed when recorded and sent unchanged on every retry. */
  uploadTime: string;
  jobDedupeKey: string;
  createdAt: Date;
}

/** The shipping state of one paid order. */
export interface OrderShippingRecord {
  orderId: string;
  outTradeNo: string;
  fulfillment: Fulfillment;
  status: ShippingStatus;
  parcelCount: number;
  shipmentCount: number;
  receivedAt: Date | null;
  /** From WeChat's settlement push; its meaning is unconfirmed (data only). */
  confirmReceiveMethod: number | null;
  settlementTime: Date | null;
}
