import type { Fulfillment } from '@checkout/protocol/contract';
import type { OrderRecord } from '../orders/order-record';
import type { IdGenerator } from '../ports/id-generator';
import type { TransactionScope } from '../ports/unit-of-work';
import type { ParcelRecord, ShipmentRecord } from './shipping-record';
import { SHIPPING_UPLOAD_JOB, shippingUploadDedupeKey, type ShippingUploadPayload } from './shipping-store';
import { nextUploadTime } from './upload-time';
import { uploadShippingRequest } from './upload-shipping-request';

export interface NewShipment {
  parcels: ParcelRecord[];
  completesDelivery: boolean;
  idempotencyKey: string | null;
  requestFingerprint: string | null;
}

/**
 * Writes a shipment and its upload job in the caller's transaction: the job exists if and only
 * if the shipment committed, and its upload_time is fixed here, once, for every retry.
 */
export async function addShipmentWithUpload(
  scope: TransactionScope,
  deps: { ids: IdGenerator },
  input: { order: OrderRecord; fulfillment: Fulfillment; previous: ShipmentRecord[]; shipment: NewShipment; now: Date },
): Promise<ShipmentRecord> {
  const { order, previous, shipment, now } = input;
  if (order.transactionId === null) throw new Error(`order ${order.id} has no transaction_id`);
  const sequence = previous.length + 1;
  const last = previous.at(-1) ?? null;
  const record: ShipmentRecord = {
    id: `shp_${deps.ids.eventId()}`,
    orderId: order.id,
    sequence,
    idempotencyKey: shipment.idempotencyKey,
    requestFingerprint: shipment.requestFingerprint,
    parcels: shipment.parcels,
    completesDelivery: shipment.completesDelivery,
    uploadTime: nextUploadTime(now, last?.uploadTime ?? null),
    jobDedupeKey: shippingUploadDedupeKey(order.outTradeNo, sequence),
    createdAt: now,
  };
  const request = uploadShippingRequest({
    fulfillment: input.fulfillment,
    transactionId: order.transactionId,
    openid: order.unifiedOrder.openid,
    orderDescription: order.unifiedOrder.body,
    parcels: shipment.parcels,
    sequence,
    completesDelivery: shipment.completesDelivery,
    uploadTime: record.uploadTime,
  });
  await scope.shipping.addShipment(record);
  const payload: ShippingUploadPayload = { shipmentId: record.id, outTradeNo: order.outTradeNo, request };
  await scope.outbox.enqueue(
    { kind: SHIPPING_UPLOAD_JOB, dedupeKey: record.jobDedupeKey, payload, ...(last ? { after: last.jobDedupeKey } : {}) },
    { now },
  );
  return record;
}
