import BetterSqlite3 from 'better-sqlite3';

export interface OrderRow {
  id: string;
  user_id: string;
  out_trade_no: string;
  status: string;
  payable_fen: number;
  transaction_id: string | null;
  prepay_id: string | null;
  cancel_requested: number;
  paid_at: string | null;
  closed_at: string | null;
  idempotency_key: string | null;
}

export interface IntegrityReport {
  orders: number;
  byStatus: Record<string, number>;
  /** order_events rows of kind 'paid': one per applied pending → paid transition. */
  paidTransitions: number;
  /** Orders with more than one 'paid' event (must be empty). */
  doublyPaid: string[];
  /** Problems that mean an order is half-written or inconsistent (must be empty). */
  problems: string[];
}

/**
 * Read-only view of the BFF's SQLite file (schema: apps/bff/src/db/migrations), opened by the test
 * process beside the running BFF (WAL allows it) to check what the API cannot show: transitions
 * counted once, nothing half-written.
 */
export class BffDatabase {
  private readonly db: BetterSqlite3.Database;

  constructor(path: string) {
    this.db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
  }

  orders(): OrderRow[] {
    return this.db.prepare('select * from orders order by created_at, id').all() as OrderRow[];
  }

  order(outTradeNo: string): OrderRow | undefined {
    return this.db.prepare('select * from orders where out_trade_no = ?').get(outTradeNo) as OrderRow | undefined;
  }

  count(sql: string, ...params: unknown[]): number {
    const row = this.db.prepare(sql).get(...params) as Record<string, number> | undefined;
    return row === undefined ? 0 : Number(Object.values(row)[0] ?? 0);
  }

  eventKinds(orderId: string): string[] {
    return (this.db.prepare('select kind from order_events where order_id = ? order by at, id').all(orderId) as { kind: string }[]).map((row) => row.kind);
  }

  /** Every invariant the money depends on, checked over the whole database. */
  integrity(): IntegrityReport {
    const orders = this.orders();
    const byStatus: Record<string, number> = {};
    for (const order of orders) byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
    const problems: string[] = [];
    const itemless = this.db.prepare('select o.out_trade_no from orders o where not exists (select 1 from order_items i where i.order_id = o.id)').all() as { out_trade_no: string }[];
    for (const row of itemless) problems.push(`${row.out_trade_no}: order without items`);
    const mismatched = this.db
      .prepare(
        `select o.out_trade_no, o.total_fen, o.subsidy_discount_fen, o.payable_fen,
                coalesce(sum(i.quantity * i.unit_price_fen), 0) as items_total,
                coalesce(sum(i.subsidy_discount_fen), 0) as items_subsidy
         from orders o left join order_items i on i.order_id = o.id group by o.id`,
      )
      .all() as { out_trade_no: string; total_fen: number; subsidy_discount_fen: number; payable_fen: number; items_total: number; items_subsidy: number }[];
    for (const row of mismatched) {
      if (row.items_total !== row.total_fen) problems.push(`${row.out_trade_no}: total_fen ${String(row.total_fen)} ≠ items ${String(row.items_total)}`);
      if (row.items_subsidy !== row.subsidy_discount_fen) problems.push(`${row.out_trade_no}: subsidy ${String(row.subsidy_discount_fen)} ≠ items ${String(row.items_subsidy)}`);
      if (row.total_fen - row.subsidy_discount_fen !== row.payable_fen) problems.push(`${row.out_trade_no}: payable ${String(row.payable_fen)} ≠ total − subsidy`);
    }
    for (const order of orders) {
      if (order.status === 'paid' && (order.transaction_id === null || order.paid_at === null)) problems.push(`${order.out_trade_no}: paid without transaction_id/paid_at`);
      if (order.status !== 'paid' && order.status !== 'refunded' && order.transaction_id !== null) problems.push(`${order.out_trade_no}: ${order.status} but has transaction_id`);
      if (order.status === 'closed' && order.closed_at === null) problems.push(`${order.out_trade_no}: closed without closed_at`);
    }
    const paidEvents = this.db.prepare(`select order_id, count(*) as n from order_events where kind = 'paid' group by order_id`).all() as { order_id: string; n: number }[];
    const paidTransitions = paidEvents.reduce((sum, row) => sum + row.n, 0);
    const doublyPaid = paidEvents.filter((row) => row.n > 1).map((row) => row.order_id);
    const paidIds = new Set(paidEvents.map((row) => row.order_id));
    for (const order of orders) {
      if (order.status === 'paid' && !paidIds.has(order.id)) problems.push(`${order.out_trade_no}: paid without a 'paid' event`);
    }
    return { orders: orders.length, byStatus, paidTransitions, doublyPaid, problems };
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Takes SQLite's write lock on the BFF's database from this process, as another process (a second
 * BFF, an operator's CLI) would, until release().
 */
export function holdWriteLock(path: string): { release(): void } {
  const db = new BetterSqlite3(path, { fileMustExist: true });
  db.exec('BEGIN IMMEDIATE');
  return {
    release() {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}
