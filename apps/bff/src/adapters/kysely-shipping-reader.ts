import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { dateOrNull } from '../db/date-or-null';
import type { ShippingReader, UploadState } from '../domain/shipping/shipping-reader';
import type { OrderShippingRecord, ParcelRecord } from '../domain/shipping/shipping-record';
import { SHIPPING_UPLOAD_JOB } from '../domain/shipping/shipping-store';
import { toOrderShipping, toShipment } from './kysely-shipping-store';

export class KyselyShippingReader implements ShippingReader {
  constructor(private readonly db: Kysely<Database>) {}

  async forOrders(orderIds: readonly string[]): Promise<Map<string, { shipping: OrderShippingRecord; parcels: ParcelRecord[] }>> {
    const found = new Map<string, { shipping: OrderShippingRecord; parcels: ParcelRecord[] }>();
    if (orderIds.length === 0) return found;
    const ids = [...new Set(orderIds)];
    const rows = await this.db.selectFrom('order_shipping').selectAll().where('order_id', 'in', ids).execute();
    for (const row of rows) found.set(row.order_id, { shipping: toOrderShipping(row), parcels: [] });
    if (rows.length === 0) return found;
    const shipments = await this.db.selectFrom('shipments').selectAll().where('order_id', 'in', [...found.keys()]).orderBy('sequence').execute();
    for (const row of shipments) found.get(row.order_id)?.parcels.push(...toShipment(row).parcels);
    return found;
  }

  async find(orderId: string): Promise<OrderShippingRecord | null> {
    const row = await this.db.selectFrom('order_shipping').selectAll().where('order_id', '=', orderId).executeTakeFirst();
    return row ? toOrderShipping(row) : null;
  }

  async shipmentsWithUploads(orderId: string) {
    const rows = await this.db
      .selectFrom('shipments')
      .leftJoin('outbox_jobs', (join) => join.onRef('outbox_jobs.dedupe_key', '=', 'shipments.job_dedupe_key').on('outbox_jobs.kind', '=', SHIPPING_UPLOAD_JOB))
      .selectAll('shipments')
      .select(['outbox_jobs.status as job_status', 'outbox_jobs.attempts as job_attempts', 'outbox_jobs.last_error as job_last_error', 'outbox_jobs.next_attempt_at as job_next_attempt_at'])
      .where('shipments.order_id', '=', orderId)
      .orderBy('shipments.sequence')
      .execute();
    return rows.map((row) => {
      const status = row.job_status;
      const upload: UploadState = {
        state: status === 'delivered' ? 'uploaded' : status === 'dead' ? 'failed' : 'pending',
        attempts: Number(row.job_attempts ?? 0),
        lastError: row.job_last_error ?? null,
        nextAttemptAt: status === 'pending' ? dateOrNull(row.job_next_attempt_at ?? null) : null,
      };
      return { shipment: toShipment(row), upload };
    });
  }
}
