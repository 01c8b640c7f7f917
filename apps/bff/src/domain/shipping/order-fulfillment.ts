import type { Fulfillment } from '@checkout/protocol/contract';

/**
 * How an order reaches the buyer from its products' kinds: any parcel makes it a courier order
 * (the shop must record the shipment); pick-up wins over virtual (someone still collects
 * something); an order of virtual goods only is virtual.
 */
export function orderFulfillment(kinds: readonly Fulfillment[]): Fulfillment {
  if (kinds.length === 0 || kinds.includes('courier')) return 'courier';
  if (kinds.includes('pickup')) return 'pickup';
  return 'virtual';
}
