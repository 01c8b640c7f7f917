import type { Fulfillment } from '@checkout/protocol/contract';
import type { ParcelRecord } from './shipping-record';

/** logistics_type of upload_shipping_info: 1 express, 3 virtual goods, 4 user pick-up (2, same-city, is not offered). */
const logisticsTypes: Readonly<Record<Fulfillment, 1 | 3 | 4>> = { courier: 1, virtual: 3, pickup: 4 };

/** The body of `POST /wxa/sec/order/upload_shipping_info`, wire names as WeChat spells them. */
export interface UploadShippingInfoRequest {
  order_key: { order_number_type: 2; transaction_id: string };
  logistics_type: 1 | 3 | 4;
  /** 1 UNIFIED_DELIVERY, 2 SPLIT_DELIVERY: numbers (the string form is refused). */
  delivery_mode: 1 | 2;
  is_all_delivered?: boolean;
  shipping_list: { tracking_no?: string; express_company?: string; item_desc: string; contact?: { receiver_contact: string } }[];
  upload_time: string;
  payer: { openid: string };
}

export interface UploadInput {
  fulfillment: Fulfillment;
  transactionId: string;
  openid: string;
  /** What the order is, for goods without parcels (the order body, ≤ 120 characters). */
  orderDescription: string;
  /** This upload's parcels: the uploads of a split shipment add up at WeChat. */
  parcels: readonly ParcelRecord[];
  /** 1 for the order's first upload. */
  sequence: number;
  completesDelivery: boolean;
  uploadTime: string;
}

/**
 * Builds one upload. Keyed by transaction_id (order_number_type 2), which names the payment
 * whatever the merchant setup. A single complete parcel is a unified delivery; anything else
 * (several parcels, or a first parcel that does not complete the order) is split, and stays split
 * on the later uploads, since changing delivery_mode would spend the order's one re-ship.
 */
export function uploadShippingRequest(input: UploadInput): UploadShippingInfoRequest {
  const base = {
    order_key: { order_number_type: 2 as const, transaction_id: input.transactionId },
    logistics_type: logisticsTypes[input.fulfillment],
    upload_time: input.uploadTime,
    payer: { openid: input.openid },
  };
  if (input.fulfillment !== 'courier') {
    return { ...base, delivery_mode: 1, shipping_list: [{ item_desc: truncate(input.orderDescription, 120) }] };
  }
  const unified = input.sequence === 1 && input.completesDelivery && input.parcels.length === 1;
  const shippingList = input.parcels.map((parcel) => ({
    tracking_no: parcel.trackingNo,
    express_company: parcel.expressCompany,
    item_desc: parcel.itemDesc,
    ...(parcel.receiverContact ? { contact: { receiver_contact: parcel.receiverContact } } : {}),
  }));
  return unified
    ? { ...base, delivery_mode: 1, shipping_list: shippingList }
    : { ...base, delivery_mode: 2, is_all_delivered: input.completesDelivery, shipping_list: shippingList };
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
