import { MAX_PARCELS_PER_ORDER, type ParcelInput, type ShippingStatus } from '@checkout/protocol/contract';
import { DomainError, type ErrorDetail } from '../domain-error';
import type { OrderRepository } from '../orders/order-repository';
import type { IdGenerator } from '../ports/id-generator';
import type { UnitOfWork } from '../ports/unit-of-work';
import { maskContact } from './mask-contact';
import { orderFulfillment } from './order-fulfillment';
import { addShipmentWithUpload } from './add-shipment-with-upload';
import { ShippingError } from './shipping-error';
import type { ParcelRecord, ShipmentRecord } from './shipping-record';

export interface RecordShipmentDeps {
  orders: Pick<OrderRepository, 'findPaymentTarget' | 'findById'>;
  unitOfWork: UnitOfWork;
  ids: IdGenerator;
  clock: { now(): Date };
  /** Keyed hash of the request, to tell a retry of the same key from another request. */
  fingerprint: (value: unknown) => string;
}

export interface RecordShipmentInput {
  outTradeNo: string;
  idempotencyKey: string;
  parcels: ParcelInput[];
  completesDelivery: boolean;
}

export interface RecordedShipment {
  shipment: ShipmentRecord;
  /** False: the same request was recorded before under this key (nothing new written). */
  created: boolean;
  status: ShippingStatus;
}

/** WeChat requires a contact for SF (顺丰) parcels. */
const couriersNeedingContact = new Set(['SF']);

/**
 * The shop sent parcels of a courier order: the shipment and its upload job are written in one
 * transaction guarded by the order's shipment count, so a parcel is recorded once and uploaded
 * once. Refused (stable codes) for an unpaid, fully refunded, non-courier or completely shipped
 * order, more than 15 parcels in all, a tracking number used twice, or an SF parcel without contact.
 */
export async function recordShipment(deps: RecordShipmentDeps, input: RecordShipmentInput): Promise<RecordedShipment> {
  const target = await deps.orders.findPaymentTarget(input.outTradeNo);
  const order = target ? await deps.orders.findById(target.id) : null;
  if (!order) throw new ShippingError('ORDER_NOT_FOUND', `no order with out_trade_no ${input.outTradeNo}`);
  if (order.transactionId === null || !['paid', 'partially_refunded', 'refunded'].includes(order.status)) {
    throw new ShippingError('ORDER_NOT_PAID', `order ${input.outTradeNo} is ${order.status}: only paid orders ship`);
  }
  if (order.status === 'refunded' || order.refundHeldFen >= order.payableFen) {
    throw new ShippingError('ORDER_FULLY_REFUNDED', `order ${input.outTradeNo} is refunded (or being refunded) in full`);
  }
  const parcels = input.parcels.map(toParcelRecord);
  assertParcelsValid(parcels);
  const fingerprint = deps.fingerprint({ parcels: input.parcels, completesDelivery: input.completesDelivery });

  return deps.unitOfWork.run(async (scope) => {
    const repeat = await scope.shipping.findShipmentByKey(order.id, input.idempotencyKey);
    if (repeat) {
      if (repeat.requestFingerprint !== fingerprint) throw new ShippingError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another shipment of the order');
      const current = await scope.shipping.findForUpdate(order.id);
      return { shipment: repeat, created: false, status: current?.status ?? 'shipped' };
    }
    const now = deps.clock.now();
    let shipping = await scope.shipping.findForUpdate(order.id);
    if (!shipping) {
      // Paid before shipping was tracked: classify it now from its products.
      const fulfillment = orderFulfillment(await scope.shipping.productFulfillments(order.items.map((item) => item.productId)));
      if (fulfillment !== 'courier') throw new ShippingError('ORDER_NOT_COURIER', `order ${input.outTradeNo} has no goods shipped by courier (${fulfillment})`);
      shipping = { orderId: order.id, outTradeNo: order.outTradeNo, fulfillment, status: 'not_shipped', parcelCount: 0, shipmentCount: 0, receivedAt: null, confirmReceiveMethod: null, settlementTime: null };
      await scope.shipping.create(shipping, now);
    }
    if (shipping.fulfillment !== 'courier') throw new ShippingError('ORDER_NOT_COURIER', `order ${input.outTradeNo} is ${shipping.fulfillment}: it was reported to WeChat at payment`);
    if (shipping.status === 'shipped' || shipping.status === 'received') throw new ShippingError('ORDER_ALREADY_SHIPPED', `order ${input.outTradeNo} is already completely shipped`);
    if (shipping.parcelCount + parcels.length > MAX_PARCELS_PER_ORDER) {
      throw new ShippingError('SHIPMENT_PARCEL_LIMIT', `an order ships in at most ${MAX_PARCELS_PER_ORDER} parcels (${shipping.parcelCount} recorded, ${parcels.length} more asked)`);
    }
    const previous = await scope.shipping.shipments(order.id);
    const known = new Set(previous.flatMap((earlier) => earlier.parcels.map((parcel) => parcel.trackingNo)));
    const reused = parcels.findIndex((parcel) => known.has(parcel.trackingNo));
    if (reused >= 0) throw new ShippingError('VALIDATION_FAILED', 'a tracking number was already recorded for this order', [{ path: `parcels.${reused}.trackingNo`, message: 'already recorded' }]);
    const shipment = await addShipmentWithUpload(scope, deps, {
      order,
      fulfillment: 'courier',
      previous,
      shipment: { parcels, completesDelivery: input.completesDelivery, idempotencyKey: input.idempotencyKey, requestFingerprint: fingerprint },
      now,
    });
    const status: ShippingStatus = input.completesDelivery ? 'shipped' : 'partially_shipped';
    const advanced = await scope.shipping.advance(order.id, shipping.shipmentCount, { status, parcelCount: shipping.parcelCount + parcels.length, shipmentCount: shipping.shipmentCount + 1 }, now);
    if (!advanced) throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'another shipment of this order was recorded at the same time; reload and retry');
    return { shipment, created: true, status };
  });
}

function toParcelRecord(parcel: ParcelInput): ParcelRecord {
  return {
    trackingNo: parcel.trackingNo,
    expressCompany: parcel.expressCompany,
    itemDesc: parcel.itemDesc,
    receiverContact: parcel.receiverContact === undefined ? null : maskContact(parcel.receiverContact),
  };
}

function assertParcelsValid(parcels: readonly ParcelRecord[]): void {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  parcels.forEach((parcel, index) => {
    if (seen.has(parcel.trackingNo)) details.push({ path: `parcels.${index}.trackingNo`, message: 'appears twice in this shipment' });
    seen.add(parcel.trackingNo);
    if (couriersNeedingContact.has(parcel.expressCompany) && parcel.receiverContact === null) {
      details.push({ path: `parcels.${index}.receiverContact`, message: `required by WeChat for ${parcel.expressCompany}` });
    }
  });
  if (details.length > 0) throw new ShippingError('VALIDATION_FAILED', 'the shipment is invalid', details);
}
