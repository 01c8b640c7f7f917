import type { OrderRecord } from '../orders/order-record';
import type { IdGenerator } from '../ports/id-generator';
import type { TransactionScope } from '../ports/unit-of-work';
import { addShipmentWithUpload } from './add-shipment-with-upload';
import { orderFulfillment } from './order-fulfillment';

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
