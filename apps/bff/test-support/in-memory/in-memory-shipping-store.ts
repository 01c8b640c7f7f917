import type { Fulfillment, ShippingStatus } from '@checkout/protocol/contract';
import type { OutboxJobInput, OutboxStore } from '../../src/domain/ports/outbox-store';
import type { TransactionScope, UnitOfWork } from '../../src/domain/ports/unit-of-work';
import type { OrderShippingRecord, ShipmentRecord } from '../../src/domain/shipping/shipping-record';
import type { ShippingStore } from '../../src/domain/shipping/shipping-store';

/** Shipping rows in memory with the Kysely store's guards (unique sequence and key, guarded advance). */
export class InMemoryShippingStore implements ShippingStore {
  readonly rows = new Map<string, OrderShippingRecord>();
  readonly shipmentRows: ShipmentRecord[] = [];

  constructor(private readonly catalog: Readonly<Record<string, Fulfillment>>) {}

  productFulfillments(productIds: readonly string[]): Promise<Fulfillment[]> {
    return Promise.resolve(productIds.flatMap((id) => (this.catalog[id] ? [this.catalog[id]] : [])));
  }
  findForUpdate(orderId: string): Promise<OrderShippingRecord | null> {
    const row = this.rows.get(orderId);
    return Promise.resolve(row ? { ...row } : null);
  }
  create(record: OrderShippingRecord): Promise<boolean> {
    if (this.rows.has(record.orderId)) return Promise.resolve(false);
    this.rows.set(record.orderId, { ...record });
    return Promise.resolve(true);
  }
  shipments(orderId: string): Promise<ShipmentRecord[]> {
    return Promise.resolve(this.shipmentRows.filter((s) => s.orderId === orderId).sort((a, b) => a.sequence - b.sequence));
  }
  findShipmentByKey(orderId: string, idempotencyKey: string): Promise<ShipmentRecord | null> {
    return Promise.resolve(this.shipmentRows.find((s) => s.orderId === orderId && s.idempotencyKey === idempotencyKey) ?? null);
  }
  addShipment(shipment: ShipmentRecord): Promise<void> {
    if (this.shipmentRows.some((s) => s.orderId === shipment.orderId && (s.sequence === shipment.sequence || (s.idempotencyKey !== null && s.idempotencyKey === shipment.idempotencyKey)))) {
      return Promise.reject(new Error('unique violation'));
    }
    this.shipmentRows.push(shipment);
    return Promise.resolve();
  }
  advance(orderId: string, expectedShipmentCount: number, next: { status: ShippingStatus; parcelCount: number; shipmentCount: number }): Promise<boolean> {
    const row = this.rows.get(orderId);
    if (!row || row.shipmentCount !== expectedShipmentCount || !['not_shipped', 'partially_shipped'].includes(row.status)) return Promise.resolve(false);
    this.rows.set(orderId, { ...row, ...next });
    return Promise.resolve(true);
  }
  markReceived(orderId: string, receipt: { receivedAt: Date; confirmReceiveMethod: number | null; settlementTime: Date | null }): Promise<boolean> {
    const row = this.rows.get(orderId);
    if (!row || row.status === 'received') return Promise.resolve(false);
    this.rows.set(orderId, { ...row, status: 'received', ...receipt });
    return Promise.resolve(true);
  }
}

/** Enqueued jobs in memory (dedupe per kind + key, like the outbox table). */
export class InMemoryOutboxStore implements OutboxStore {
  readonly jobs: (OutboxJobInput & { now: Date })[] = [];
  enqueue(job: OutboxJobInput, options: { now: Date }): Promise<{ enqueued: boolean }> {
    if (this.jobs.some((j) => j.kind === job.kind && j.dedupeKey === job.dedupeKey)) return Promise.resolve({ enqueued: false });
    this.jobs.push({ ...job, now: options.now });
    return Promise.resolve({ enqueued: true });
  }
  has(kind: string, dedupeKey: string): Promise<boolean> {
    return Promise.resolve(this.jobs.some((j) => j.kind === kind && j.dedupeKey === dedupeKey));
  }
}

/**
 * A unit of work over the two stores: a throw discards what the work wrote (snapshot and restore),
 * as a rolled-back transaction would.
 */
export function inMemoryShippingUnitOfWork(shipping: InMemoryShippingStore, outbox: InMemoryOutboxStore): UnitOfWork {
  return {
    async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
      const rows = new Map([...shipping.rows].map(([k, v]) => [k, { ...v }]));
      const shipments = [...shipping.shipmentRows];
      const jobs = [...outbox.jobs];
      try {
        return await work({ shipping, outbox, subsidyOrders: unused('subsidyOrders'), refunds: unused('refunds') });
      } catch (error) {
        shipping.rows.clear();
        for (const [k, v] of rows) shipping.rows.set(k, v);
        shipping.shipmentRows.splice(0, shipping.shipmentRows.length, ...shipments);
        outbox.jobs.splice(0, outbox.jobs.length, ...jobs);
        throw error;
      }
    },
  };
}

function unused(port: string): never {
  return new Proxy({}, { get: (_t, method) => () => { throw new Error(`${port}.${String(method)} is not used here`); } }) as never;
}
