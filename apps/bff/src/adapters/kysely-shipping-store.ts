import { SqliteAdapter, type Kysely, type Selectable, type Transaction } from 'kysely';
import { fulfillmentSchema, shippingStatusSchema, type Fulfillment, type ShippingStatus } from '@checkout/protocol/contract';
import type { Database, OrderShippingTable, ShipmentsTable } from '../db/schema';
import { dateOrNull } from '../db/date-or-null';
import { precompiled } from '../db/precompiled-query';
import { isUniqueViolation } from '../db/is-unique-violation';
import { DomainError } from '../domain/domain-error';
import type { OrderShippingRecord, ParcelRecord, ShipmentRecord } from '../domain/shipping/shipping-record';
import type { ShippingStore } from '../domain/shipping/shipping-store';

type Db = Kysely<Database> | Transaction<Database>;

// Both run in every paid transaction (see precompiled-query.ts).
const selectFulfillment = precompiled((db: Kysely<Database>, p: { id: string }) => db.selectFrom('products').select('fulfillment').where('id', '=', p.id));
const insertShipping = precompiled((db: Kysely<Database>, p: { orderId: string; outTradeNo: string; fulfillment: string; status: string; parcelCount: number; shipmentCount: number; at: string }) =>
  db
    .insertInto('order_shipping')
    .values({
      order_id: p.orderId,
      out_trade_no: p.outTradeNo,
      fulfillment: p.fulfillment,
      status: p.status,
      parcel_count: p.parcelCount,
      shipment_count: p.shipmentCount,
      received_at: null,
      confirm_receive_method: null,
      settlement_time: null,
      created_at: p.at,
      updated_at: p.at,
    })
    .onConflict((oc) => oc.column('order_id').doNothing()),
);

/** The shipping rows through the given handle (the caller's transaction inside a unit of work). */
export class KyselyShippingStore implements ShippingStore {
  private readonly locksRows: boolean;

  constructor(private readonly db: Db) {
    // SQLite has no row locks: its write transactions are already serialised.
    this.locksRows = !(db.getExecutor().adapter instanceof SqliteAdapter);
  }

  async productFulfillments(productIds: readonly string[]): Promise<Fulfillment[]> {
    const fulfillments: Fulfillment[] = [];
    // One indexed read per distinct product (an order has one or a few), each compiled once.
    for (const id of new Set(productIds)) {
      const [row] = (await selectFulfillment(this.db, { id })).rows;
      if (row) fulfillments.push(fulfillmentSchema.catch('courier').parse(row.fulfillment));
    }
    return fulfillments;
  }

  async findForUpdate(orderId: string): Promise<OrderShippingRecord | null> {
    const query = this.db.selectFrom('order_shipping').selectAll().where('order_id', '=', orderId);
    const row = await (this.locksRows ? query.forUpdate() : query).executeTakeFirst();
    return row ? toOrderShipping(row) : null;
  }

  async create(record: OrderShippingRecord, at: Date): Promise<boolean> {
    const { parcelCount, shipmentCount, fulfillment, status, orderId, outTradeNo } = record;
    const result = await insertShipping(this.db, { orderId, outTradeNo, fulfillment, status, parcelCount, shipmentCount, at: at.toISOString() });
    return Number(result.numAffectedRows ?? 0n) > 0;
  }

  async shipments(orderId: string): Promise<ShipmentRecord[]> {
    const rows = await this.db.selectFrom('shipments').selectAll().where('order_id', '=', orderId).orderBy('sequence').execute();
    return rows.map(toShipment);
  }

  async findShipmentByKey(orderId: string, idempotencyKey: string): Promise<ShipmentRecord | null> {
    const row = await this.db.selectFrom('shipments').selectAll().where('order_id', '=', orderId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    return row ? toShipment(row) : null;
  }

  async addShipment(shipment: ShipmentRecord): Promise<void> {
    try {
      await this.db
        .insertInto('shipments')
        .values({
          id: shipment.id,
          order_id: shipment.orderId,
          sequence: shipment.sequence,
          idempotency_key: shipment.idempotencyKey,
          request_fingerprint: shipment.requestFingerprint,
          parcels: JSON.stringify(shipment.parcels),
          completes_delivery: shipment.completesDelivery ? 1 : 0,
          upload_time: shipment.uploadTime,
          job_dedupe_key: shipment.jobDedupeKey,
          created_at: shipment.createdAt.toISOString(),
        })
        .execute();
    } catch (error) {
      // Another shipment of the order (same sequence or key) committed first.
      if (isUniqueViolation(error)) throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'another shipment of this order was recorded at the same time; reload and retry');
      throw error;
    }
  }

  async advance(orderId: string, expectedShipmentCount: number, next: { status: ShippingStatus; parcelCount: number; shipmentCount: number }, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('order_shipping')
      .set({ status: next.status, parcel_count: next.parcelCount, shipment_count: next.shipmentCount, updated_at: at.toISOString() })
      .where('order_id', '=', orderId)
      .where('shipment_count', '=', expectedShipmentCount)
      .where('status', 'in', ['not_shipped', 'partially_shipped'])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async markReceived(orderId: string, receipt: { receivedAt: Date; confirmReceiveMethod: number | null; settlementTime: Date | null }, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('order_shipping')
      .set({
        status: 'received',
        received_at: receipt.receivedAt.toISOString(),
        confirm_receive_method: receipt.confirmReceiveMethod,
        settlement_time: receipt.settlementTime?.toISOString() ?? null,
        updated_at: at.toISOString(),
      })
      .where('order_id', '=', orderId)
      .where('status', '<>', 'received')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

export function toOrderShipping(row: Selectable<OrderShippingTable>): OrderShippingRecord {
  return {
    orderId: row.order_id,
    outTradeNo: row.out_trade_no,
    fulfillment: fulfillmentSchema.catch('courier').parse(row.fulfillment),
    status: shippingStatusSchema.catch('not_shipped').parse(row.status),
    parcelCount: Number(row.parcel_count),
    shipmentCount: Number(row.shipment_count),
    receivedAt: dateOrNull(row.received_at),
    confirmReceiveMethod: row.confirm_receive_method === null ? null : Number(row.confirm_receive_method),
    settlementTime: dateOrNull(row.settlement_time),
  };
}

export function toShipment(row: Selectable<ShipmentsTable>): ShipmentRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    sequence: Number(row.sequence),
    idempotencyKey: row.idempotency_key,
    requestFingerprint: row.request_fingerprint,
    parcels: JSON.parse(row.parcels) as ParcelRecord[],
    completesDelivery: Number(row.completes_delivery) === 1,
    uploadTime: row.upload_time,
    jobDedupeKey: row.job_dedupe_key,
    createdAt: new Date(row.created_at),
  };
}
