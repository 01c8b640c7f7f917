import type { Fulfillment } from '@checkout/protocol/contract';
import type { OrderRecord } from '../orders/order-record';
import type { IdGenerator } from '../ports/id-generator';
import type { TransactionScope } from '../ports/unit-of-work';
import { orderFulfillment } from './order-fulfillment';
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

/**
 * The paid reaction: records how the order ships and, for goods without parcels (virtual,
 * pick-up), uploads at once, in the paid transaction. Courier orders wait for the shop.
 */
export async function onOrderPaidForShipping(
  scope: TransactionScope,
  deps: { ids: IdGenerator; clock: { now(): Date } },
  order: OrderRecord,
): Promise<'upload_enqueued' | 'awaiting_shipment' | 'already_recorded' | 'not_shipping'> {
  // Money that landed on a closed or cancelled order goes back (a payment anomaly): nothing ships.
  if (order.paidAfterClose) return 'not_shipping';
  const now = deps.clock.now();
  const fulfillment = orderFulfillment(await scope.shipping.productFulfillments(order.items.map((item) => item.productId)));
  const immediate = fulfillment !== 'courier';
  const created = await scope.shipping.create(
    { orderId: order.id, outTradeNo: order.outTradeNo, fulfillment, status: immediate ? 'shipped' : 'not_shipped', parcelCount: 0, shipmentCount: immediate ? 1 : 0, receivedAt: null, confirmReceiveMethod: null, settlementTime: null },
    now,
  );
  if (!created) return 'already_recorded';
  if (!immediate) return 'awaiting_shipment';
  await addShipmentWithUpload(scope, deps, { order, fulfillment, previous: [], shipment: { parcels: [], completesDelivery: true, idempotencyKey: null, requestFingerprint: null }, now });
  return 'upload_enqueued';
}
