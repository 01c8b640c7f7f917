import { courierCompanyName, type OrderShipping } from '@checkout/protocol/contract';
import type { OrderRecord } from '../domain/orders/order-record';
import type { ShippingReader } from '../domain/shipping/shipping-reader';
import type { OrderShippingRecord, ParcelRecord } from '../domain/shipping/shipping-record';

/** The buyer's shipping block: no contacts (they stay with the shop and WeChat), no upload internals. */
export function toOrderShippingView(order: Pick<OrderRecord, 'mchId' | 'outTradeNo'>, shipping: OrderShippingRecord, parcels: readonly ParcelRecord[]): OrderShipping {
  return {
    fulfillment: shipping.fulfillment,
    status: shipping.status,
    parcels: parcels.map((parcel) => ({ trackingNo: parcel.trackingNo, expressCompany: parcel.expressCompany, expressCompanyName: courierCompanyName(parcel.expressCompany) })),
    // WeChat's receipt confirmation component needs the shipment complete at WeChat.
    confirmReceipt: shipping.fulfillment === 'courier' && shipping.status === 'shipped' ? { merchantId: order.mchId, merchantTradeNo: order.outTradeNo } : null,
    receivedAt: shipping.receivedAt?.toISOString() ?? null,
  };
}

/** Each order's shipping block (null when it has none: unpaid, or paid before shipping was tracked). */
export async function shippingViews(reader: ShippingReader, orders: readonly OrderRecord[]): Promise<Map<string, OrderShipping | null>> {
  const found = await reader.forOrders(orders.filter((order) => order.paidAt !== null).map((order) => order.id));
  return new Map(orders.map((order) => {
    const entry = found.get(order.id);
    return [order.id, entry ? toOrderShippingView(order, entry.shipping, entry.parcels) : null];
  }));
}
