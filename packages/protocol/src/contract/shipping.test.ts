import { describe, expect, it } from 'vitest';
import { recordShipmentRequestSchema } from './admin-shipping';
import { orderSchema } from './order';
import { orderShippingSchema } from './shipping';

describe('shipping contract', () => {
  const parcel = { trackingNo: 'ZT100001', expressCompany: 'ZTO', itemDesc: '电热水壶' };

  it('a shipment takes 1–15 parcels with a tracking number, a courier code and a description; contacts are optional', () => {
    expect(recordShipmentRequestSchema.parse({ parcels: [parcel, { ...parcel, trackingNo: 'SF-2', expressCompany: 'SF', receiverContact: '+86 138 1234 5678' }], completesDelivery: true }).parcels).toHaveLength(2);
    for (const bad of [
      { parcels: [], completesDelivery: true },
      { parcels: Array.from({ length: 16 }, () => parcel), completesDelivery: true },
      { parcels: [{ ...parcel, trackingNo: '' }], completesDelivery: true },
      { parcels: [{ ...parcel, trackingNo: '运单1' }], completesDelivery: true },
      { parcels: [{ ...parcel, itemDesc: '' }], completesDelivery: true },
      { parcels: [{ ...parcel, itemDesc: '货'.repeat(121) }], completesDelivery: true },
      { parcels: [{ ...parcel, receiverContact: 'call me' }], completesDelivery: true },
      { parcels: [parcel] },
      { parcels: [parcel], completesDelivery: true, extra: 1 },
    ]) {
      expect(recordShipmentRequestSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('an order may carry a shipping block (absent from older servers, null before payment)', () => {
    const shipping = { fulfillment: 'courier', status: 'shipped', parcels: [{ trackingNo: 'ZT1', expressCompany: 'ZTO', expressCompanyName: '中通快递' }], confirmReceipt: { merchantId: '1900000001', merchantTradeNo: 'T1' }, receivedAt: null };
    expect(orderShippingSchema.parse(shipping)).toEqual(shipping);
    expect(orderShippingSchema.safeParse({ ...shipping, status: 'lost' }).success).toBe(false);
    const order = { id: 'o', outTradeNo: 'T1', status: 'paid', items: [], totalFen: 1, subsidyDiscountFen: 0, payableFen: 1, cancelRequested: false, createdAt: '2026-12-01T00:00:00.000Z', expiresAt: '2026-12-01T00:30:00.000Z', paidAt: null, closedAt: null, refunds: [], refundedFen: 0 };
    expect(orderSchema.safeParse(order).success).toBe(true);
    expect(orderSchema.safeParse({ ...order, shipping: null }).success).toBe(true);
    expect(orderSchema.parse({ ...order, shipping }).shipping).toEqual(shipping);
  });
});
