import type { OrderShippingRecord, ParcelRecord, ShipmentRecord } from './shipping-record';

/** Where an upload stands, from its outbox job. */
export interface UploadState {
  state: 'pending' | 'uploaded' | 'failed';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
}

/** Read side of shipping (no transaction): the buyer's order view and the admin view. */
export interface ShippingReader {
  /** Each order's shipping row and all its parcels, for the orders that have one. */
  forOrders(orderIds: readonly string[]): Promise<Map<string, { shipping: OrderShippingRecord; parcels: ParcelRecord[] }>>;
  find(orderId: string): Promise<OrderShippingRecord | null>;
  /** The order's shipments, oldest first, each with its upload's state. */
  shipmentsWithUploads(orderId: string): Promise<{ shipment: ShipmentRecord; upload: UploadState }[]>;
}
