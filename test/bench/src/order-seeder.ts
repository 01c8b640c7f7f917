import { createHash } from 'node:crypto';
import { buildXml, parseXml, withSign } from '@checkout/protocol/wxpay';
import { devMerchant } from '@checkout/protocol/testing';
import type { BenchDatabase, Row } from './bench-database';

/**
 * Rows the BFF itself wrote for one order, read back from its database: the pending order (after
 * checkout: order, items, `created` and `prepay` events) and the same order once a notification
 * paid it (its `paid` event and stored notification). Seeded orders are copies of these with
 * their own ids, so every column is what the BFF writes, not what the bench guesses.
 */
export interface OrderTemplate {
  pending: { order: Row; items: Row[]; events: Row[] };
  paid: { order: Row; event: Row; notification: Row };
  /** The notification that paid the template, parsed: the fields every seeded one starts from. */
  notificationFields: Record<string, string>;
}

export async function readOrderTemplate(db: BenchDatabase, orderId: string, pendingCopy: { order: Row; items: Row[]; events: Row[] }): Promise<OrderTemplate> {
  const [order] = await db.all('select * from orders where id = ?', [orderId]);
  const [event] = await db.all(`select * from order_events where order_id = ? and kind = 'paid'`, [orderId]);
  const [notification] = await db.all('select * from pay_notifications where order_id = ? and applied = 1', [orderId]);
  if (order?.status !== 'paid' || event === undefined || notification === undefined) throw new Error(`template order ${orderId} is not paid with its event and notification`);
  const fields = parseXml(String(notification.raw_body));
  return { pending: pendingCopy, paid: { order, event, notification }, notificationFields: { ...fields } };
}

export async function readPendingRows(db: BenchDatabase, orderId: string): Promise<{ order: Row; items: Row[]; events: Row[] }> {
  const [order] = await db.all('select * from orders where id = ?', [orderId]);
  if (order?.status !== 'pending' || order.prepay_id === null) throw new Error(`template order ${orderId} is not pending with a prepay_id`);
  return { order, items: await db.all('select * from order_items where order_id = ? order by line_no', [orderId]), events: await db.all('select * from order_events where order_id = ? order by at', [orderId]) };
}

export interface SeedOrder {
  id: string;
  outTradeNo: string;
  userId: string;
  createdAt: Date;
  /** Set: a historical paid order (with its paid event and stored notification). */
  paid?: { transactionId: string; paidAt: Date };
}

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A counter in base62, left-padded: ids in the BFF's formats, unique without randomness. */
function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  do {
    out = alphabet[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

const compactUtc = (at: Date): string => at.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Ids in the BFF's formats (ord_ + 22, out_trade_no = yyyyMMddHHmmss + 18, events 24), from a run-unique prefix. */
export class SeedIds {
  private next = 0;
  constructor(private readonly prefix: string) {}
  order(createdAt: Date): { id: string; outTradeNo: string } {
    const n = (this.next += 1);
    return { id: `ord_${this.prefix}${base62(n, 22 - this.prefix.length)}`, outTradeNo: `${compactUtc(createdAt)}${this.prefix}${base62(n, 18 - this.prefix.length)}` };
  }
  user(): string {
    return `usr_${this.prefix}${base62((this.next += 1), 22 - this.prefix.length)}`;
  }
  event(): string {
    return `${this.prefix}${base62((this.next += 1), 24 - this.prefix.length)}`;
  }
  /** 28 digits, as WeChat Pay's. */
  transaction(): string {
    return `42${String(Date.now()).slice(-9)}${String((this.next += 1)).padStart(17, '0')}`;
  }
}

const plusMs = (iso: unknown, from: unknown, to: Date): string | null => (iso === null || typeof iso !== 'string' ? null : new Date(to.getTime() + (new Date(iso).getTime() - new Date(String(from)).getTime())).toISOString());

/** The gateway's dedupe key (every field but sign and nonce_str, sorted, hashed), as the BFF stores it. */
function dedupeKey(fields: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(fields).sort()) {
    if (name === 'sign' || name === 'nonce_str') continue;
    hash.update(name).update('\u0000').update(fields[name] ?? '').update('\u0000');
  }
  return hash.digest('hex');
}

const wxTime = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Writes copies of the template in bulk (one transaction per table and batch of orders). */
export async function seedOrders(db: BenchDatabase, template: OrderTemplate, orders: readonly SeedOrder[], ids: SeedIds): Promise<void> {
  const t = template.pending;
  const templateNo = String(t.order.out_trade_no);
  for (let start = 0; start < orders.length; start += 50_000) {
    const batch = orders.slice(start, start + 50_000);
    const orderRows: Row[] = [];
    const itemRows: Row[] = [];
    const eventRows: Row[] = [];
    const notificationRows: Row[] = [];
    for (const seed of batch) {
      const created = seed.createdAt.toISOString();
      const base = seed.paid ? template.paid.order : t.order;
      orderRows.push({
        ...base,
        id: seed.id,
        user_id: seed.userId,
        out_trade_no: seed.outTradeNo,
        unifiedorder_params: String(base.unifiedorder_params).split(templateNo).join(seed.outTradeNo),
        prepay_id: `${String(base.prepay_id).slice(0, -12)}${seed.id.slice(-12)}`,
        prepay_expires_at: plusMs(base.prepay_expires_at, base.created_at, seed.createdAt),
        idempotency_key: null,
        request_fingerprint: null,
        created_at: created,
        expires_at: plusMs(base.expires_at, base.created_at, seed.createdAt),
        updated_at: seed.paid ? seed.paid.paidAt.toISOString() : plusMs(base.updated_at, base.created_at, seed.createdAt),
        ...(seed.paid ? { transaction_id: seed.paid.transactionId, paid_at: seed.paid.paidAt.toISOString() } : {}),
      });
      for (const item of t.items) itemRows.push({ ...item, order_id: seed.id });
      for (const event of t.events) eventRows.push({ ...event, id: ids.event(), order_id: seed.id, at: plusMs(event.at, t.order.created_at, seed.createdAt) });
      if (seed.paid) {
        const paidAt = seed.paid.paidAt;
        eventRows.push({ ...template.paid.event, id: ids.event(), order_id: seed.id, at: paidAt.toISOString() });
        const fields: Record<string, string> = { ...template.notificationFields, out_trade_no: seed.outTradeNo, transaction_id: seed.paid.transactionId, time_end: wxTime(paidAt) };
        delete fields.sign;
        const signType = fields.sign_type === 'MD5' ? 'MD5' : 'HMAC-SHA256';
        notificationRows.push({
          ...template.paid.notification,
          id: ids.event(),
          order_id: seed.id,
          out_trade_no: seed.outTradeNo,
          transaction_id: seed.paid.transactionId,
          raw_body: buildXml(withSign(fields, devMerchant.apiKey, signType)),
          received_at: paidAt.toISOString(),
          dedupe_key: dedupeKey(fields),
          repeat_count: 0,
        });
      }
    }
    await db.insertRows('orders', orderRows);
    await db.insertRows('order_items', itemRows);
    await db.insertRows('order_events', eventRows);
    await db.insertRows('pay_notifications', notificationRows);
  }
}

/** Buyers for the historical orders (a user row each, as a first login writes it). */
export async function seedUsers(db: BenchDatabase, count: number, ids: SeedIds, at: Date): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({ id: ids.user(), openid: `oBenchHistory${ids.user().slice(4)}${String(i)}`, created_at: at.toISOString(), last_login_at: at.toISOString(), session_generation: 0 }));
  await db.insertRows('users', rows);
  return rows.map((row) => row.id);
}
