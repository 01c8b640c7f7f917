import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../orders/order-record';
import { InMemoryOutboxStore, InMemoryShippingStore, inMemoryShippingUnitOfWork } from '../../../test-support/in-memory/in-memory-shipping-store';
import { onOrderPaidForShipping } from './on-order-paid-for-shipping';
import { recordShipment, type RecordShipmentInput } from './record-shipment';
import { SHIPPING_UPLOAD_JOB, type ShippingUploadPayload } from './shipping-store';

const paidAt = new Date('2026-12-01T02:00:00Z');

function order(overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    id: 'ord-1', userId: 'u', outTradeNo: 'OTN1', status: 'paid', appId: 'wxapp', mchId: '1900000001', signType: 'HMAC-SHA256',
    totalFen: 1000, subsidyDiscountFen: 0, payableFen: 1000,
    unifiedOrder: { body: '示例店-商品', totalFee: 1000, spbillCreateIp: '127.0.0.1', notifyUrl: 'http://x/notify', openid: 'o-payer', timeStart: '', timeExpire: '' },
    prepayId: null, prepayExpiresAt: null, transactionId: '4200000001', cancelRequested: false, idempotencyKey: null, requestFingerprint: null, lastFailureCode: null,
    createdAt: paidAt, expiresAt: paidAt, paidAt, closedAt: null, lastQueriedAt: null, paidAfterClose: false, refundHeldFen: 0, refundedFen: 0, refunds: [],
    items: [{ lineNo: 1, productId: 'kettle', name: '电热水壶', quantity: 1, unitPriceFen: 1000, subsidyDiscountFen: 0, applianceId: null, brand: null, energyGrade: null }],
    ...overrides,
  };
}

function world(stored: OrderRecord = order()) {
  let now = new Date('2026-12-01T03:00:00.400Z');
  const shipping = new InMemoryShippingStore({ kettle: 'courier', ecard: 'virtual', voucher: 'pickup' });
  const outbox = new InMemoryOutboxStore();
  const unitOfWork = inMemoryShippingUnitOfWork(shipping, outbox);
  let id = 0;
  const deps = {
    orders: {
      findPaymentTarget: (outTradeNo: string) => Promise.resolve(outTradeNo === stored.outTradeNo ? stored : null),
      findById: (orderId: string) => Promise.resolve(orderId === stored.id ? stored : null),
    },
    unitOfWork,
    ids: { eventId: () => String(++id) } as never,
    clock: { now: () => new Date(now) },
    fingerprint: (value: unknown) => JSON.stringify(value),
  };
  const record = (input: Partial<RecordShipmentInput>) =>
    recordShipment(deps, { outTradeNo: 'OTN1', idempotencyKey: `k${++id}`, parcels: [{ trackingNo: 'ZT1', expressCompany: 'ZTO', itemDesc: '水壶' }], completesDelivery: true, ...input });
  const paid = () => unitOfWork.run((scope) => onOrderPaidForShipping(scope, deps, stored));
  const payloads = () => outbox.jobs.map((job) => job.payload as ShippingUploadPayload);
  return { shipping, outbox, record, paid, payloads, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code);

describe('the paid reaction', () => {
  it('virtual goods get one upload job in the paid transaction: logistics_type 3, whole-second Beijing upload_time', async () => {
    const w = world(order({ items: [{ ...order().items[0]!, productId: 'ecard' }] }));
    expect(await w.paid()).toBe('upload_enqueued');
    expect(w.outbox.jobs.map((job) => [job.kind, job.dedupeKey])).toEqual([[SHIPPING_UPLOAD_JOB, 'OTN1:shipping:1']]);
    expect(w.payloads()[0]?.request).toEqual({
      order_key: { order_number_type: 2, transaction_id: '4200000001' },
      logistics_type: 3,
      delivery_mode: 1,
      shipping_list: [{ item_desc: '示例店-商品' }],
      upload_time: '2026-12-01T11:00:00+08:00',
      payer: { openid: 'o-payer' },
    });
    expect(w.shipping.rows.get('ord-1')?.status).toBe('shipped');
    // A second paid event (duplicate notification path) adds nothing.
    expect(await w.paid()).toBe('already_recorded');
    expect(w.outbox.jobs).toHaveLength(1);
  });

  it('a payment on a closed order (refunded as an anomaly) ships nothing', async () => {
    const w = world(order({ paidAfterClose: true, items: [{ ...order().items[0]!, productId: 'ecard' }] }));
    expect(await w.paid()).toBe('not_shipping');
    expect(w.outbox.jobs).toEqual([]);
  });

  it('pick-up wins over virtual (logistics_type 4); any courier line makes the order wait for the shop', async () => {
    const pickup = world(order({ items: [{ ...order().items[0]!, productId: 'ecard' }, { ...order().items[0]!, lineNo: 2, productId: 'voucher' }] }));
    await pickup.paid();
    expect(pickup.payloads()[0]?.request.logistics_type).toBe(4);
    const mixed = world(order({ items: [{ ...order().items[0]!, productId: 'ecard' }, { ...order().items[0]!, lineNo: 2 }] }));
    expect(await mixed.paid()).toBe('awaiting_shipment');
    expect(mixed.outbox.jobs).toEqual([]);
    expect(mixed.shipping.rows.get('ord-1')).toMatchObject({ fulfillment: 'courier', status: 'not_shipped' });
  });
});

describe('recording a shipment', () => {
  it('one complete parcel is a unified delivery; a split keeps delivery_mode 2, orders its uploads and moves upload_time on', async () => {
    const single = world();
    await single.paid();
    await single.record({});
    expect(single.payloads()[0]?.request).toMatchObject({ logistics_type: 1, delivery_mode: 1, shipping_list: [{ tracking_no: 'ZT1', express_company: 'ZTO', item_desc: '水壶' }] });
    expect(single.payloads()[0]?.request).not.toHaveProperty('is_all_delivered');

    const split = world();
    await split.paid();
    expect((await split.record({ completesDelivery: false })).status).toBe('partially_shipped');
    // Same second: the next upload_time is still one second later.
    expect((await split.record({ parcels: [{ trackingNo: 'SF2', expressCompany: 'SF', itemDesc: '配件', receiverContact: '+86 138-1234-5678' }] })).status).toBe('shipped');
    const [first, second] = split.payloads();
    expect(first?.request).toMatchObject({ delivery_mode: 2, is_all_delivered: false });
    expect(second?.request).toMatchObject({ delivery_mode: 2, is_all_delivered: true, shipping_list: [{ tracking_no: 'SF2', contact: { receiver_contact: '138****5678' } }] });
    expect([first?.request.upload_time, second?.request.upload_time]).toEqual(['2026-12-01T11:00:00+08:00', '2026-12-01T11:00:01+08:00']);
    expect(split.outbox.jobs[1]?.after).toBe('OTN1:shipping:1');
  });

  it('a repeated Idempotency-Key returns the recorded shipment; another body under it is refused', async () => {
    const w = world();
    await w.paid();
    const first = await w.record({ idempotencyKey: 'same', completesDelivery: false });
    const again = await w.record({ idempotencyKey: 'same', completesDelivery: false });
    expect(again).toMatchObject({ created: false, shipment: { id: first.shipment.id } });
    expect(await code(w.record({ idempotencyKey: 'same', completesDelivery: true }))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(w.outbox.jobs).toHaveLength(1);
  });

  it('refuses with stable codes and writes nothing', async () => {
    const unpaid = world(order({ status: 'pending', transactionId: null, paidAt: null }));
    expect(await code(unpaid.record({}))).toBe('ORDER_NOT_PAID');
    expect(await code(world(order({ status: 'refunded' })).record({}))).toBe('ORDER_FULLY_REFUNDED');
    expect(await code(world(order({ refundHeldFen: 1000 })).record({}))).toBe('ORDER_FULLY_REFUNDED');
    expect(await code(world().record({ outTradeNo: 'NOPE' }))).toBe('ORDER_NOT_FOUND');
    const virtual = world(order({ items: [{ ...order().items[0]!, productId: 'ecard' }] }));
    await virtual.paid();
    expect(await code(virtual.record({}))).toBe('ORDER_NOT_COURIER');

    const w = world();
    await w.paid();
    expect(await code(w.record({ parcels: [{ trackingNo: 'SF1', expressCompany: 'SF', itemDesc: 'x' }] }))).toBe('VALIDATION_FAILED');
    expect(await code(w.record({ parcels: [{ trackingNo: 'A', expressCompany: 'ZTO', itemDesc: 'x' }, { trackingNo: 'A', expressCompany: 'ZTO', itemDesc: 'y' }] }))).toBe('VALIDATION_FAILED');
    await w.record({ parcels: Array.from({ length: 14 }, (_, i) => ({ trackingNo: `P${i}`, expressCompany: 'ZTO', itemDesc: 'x' })), completesDelivery: false });
    expect(await code(w.record({ parcels: [{ trackingNo: 'P3', expressCompany: 'ZTO', itemDesc: 'x' }] }))).toBe('VALIDATION_FAILED');
    expect(await code(w.record({ parcels: [{ trackingNo: 'Q1', expressCompany: 'ZTO', itemDesc: 'x' }, { trackingNo: 'Q2', expressCompany: 'ZTO', itemDesc: 'x' }] }))).toBe('SHIPMENT_PARCEL_LIMIT');
    await w.record({ parcels: [{ trackingNo: 'Q1', expressCompany: 'ZTO', itemDesc: 'x' }] });
    expect(await code(w.record({ parcels: [{ trackingNo: 'Q9', expressCompany: 'ZTO', itemDesc: 'x' }] }))).toBe('ORDER_ALREADY_SHIPPED');
    expect(w.outbox.jobs).toHaveLength(2);
    expect(w.shipping.rows.get('ord-1')).toMatchObject({ status: 'shipped', parcelCount: 15, shipmentCount: 2 });
  });

  it('an order paid before shipping was tracked is classified from its products on its first shipment', async () => {
    const w = world();
    expect((await w.record({})).status).toBe('shipped');
    expect(w.shipping.rows.get('ord-1')).toMatchObject({ fulfillment: 'courier', shipmentCount: 1 });
  });
});
