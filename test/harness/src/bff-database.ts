import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ensurePostgresInstalled } from '@checkout/postgres-server';

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
  /** Orders whose money arrived: paid, partially refunded or refunded (each had one paid transition). */
  paidOrders: number;
  /** Orders with more than one 'paid' event (must be empty). */
  doublyPaid: string[];
  /** Problems that mean an order is half-written or inconsistent (must be empty). */
  problems: string[];
}

/** Where the BFF keeps its data: a SQLite file, or a PostgreSQL database URL. */
export type BffDatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** Runs one read-only query with `?` placeholders and returns its rows. */
interface RowReader {
  all(sql: string, params: readonly unknown[]): Record<string, unknown>[];
  close(): void;
}

function sqliteReader(path: string): RowReader {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return {
    all: (sql, params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
    close: () => db.close(),
  };
}

/**
 * PostgreSQL through `psql` (the server package ships it): synchronous, so the suites' checks read
 * the same on both backends. Read-only transactions; values bound as psql variables (quoted by
 * psql, never spliced into the SQL); rows come back as JSON.
 */
function postgresReader(url: string): RowReader {
  const psql = join(ensurePostgresInstalled().binDir, 'psql');
  return {
    all(sql, params) {
      let index = 0;
      const bound = sql.replace(/\?/g, () => `:'p${String((index += 1))}'`);
      const variables = params.flatMap((value, i) => ['-v', `p${String(i + 1)}=${String(value)}`]);
      try {
        const out = execFileSync(psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...variables, '-d', url], {
          input: `select coalesce(json_agg(t), '[]'::json) from (${bound}) t;\n`,
          encoding: 'utf8',
          env: { ...process.env, PGOPTIONS: '-c default_transaction_read_only=on' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        return JSON.parse(out) as Record<string, unknown>[];
      } catch (error) {
        // The URL (with its password) is in the command line: report psql's stderr only.
        const stderr = (error as { stderr?: unknown }).stderr;
        throw new Error(`psql query failed: ${typeof stderr === 'string' ? stderr.trim() : 'no output'}`);
      }
    },
    close() {},
  };
}

/**
 * Read-only view of the BFF's database (schema: apps/bff/src/db/migrations), the SQLite file
 * (opened beside the running BFF, WAL allows it) or the PostgreSQL database, to check what the API
 * cannot show: transitions counted once, nothing half-written. Counts are numbers on both.
 */
export class BffDatabase {
  private readonly reader: RowReader;
  readonly kind: BffDatabaseLocation['kind'];

  /** A string is a SQLite path (as before). */
  constructor(location: BffDatabaseLocation | string) {
    const where: BffDatabaseLocation = typeof location === 'string' ? { kind: 'sqlite', path: location } : location;
    this.kind = where.kind;
    this.reader = where.kind === 'sqlite' ? sqliteReader(where.path) : postgresReader(where.url);
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return this.reader.all(sql, params) as T[];
  }

  orders(): OrderRow[] {
    return this.all<OrderRow>('select * from orders order by created_at, id').map(normalizeOrder);
  }

  order(outTradeNo: string): OrderRow | undefined {
    const row = this.all<OrderRow>('select * from orders where out_trade_no = ?', outTradeNo)[0];
    return row === undefined ? undefined : normalizeOrder(row);
  }

  count(sql: string, ...params: unknown[]): number {
    const row = this.all<Record<string, unknown>>(sql, ...params)[0];
    return row === undefined ? 0 : Number(Object.values(row)[0] ?? 0);
  }

  /** An order's refunds, oldest first (amounts as numbers on both databases). */
  refunds(orderId: string): { out_refund_no: string; status: string; refund_fen: number }[] {
    return this.all<{ out_refund_no: string; status: string; refund_fen: number | string }>('select out_refund_no, status, refund_fen from refunds where order_id = ? order by created_at, id', orderId).map(
      (row) => ({ ...row, refund_fen: Number(row.refund_fen) }),
    );
  }

  eventKinds(orderId: string): string[] {
    return this.all<{ kind: string }>('select kind from order_events where order_id = ? order by at, id', orderId).map((row) => row.kind);
  }

  /** Every invariant the money depends on, checked over the whole database. */
  integrity(): IntegrityReport {
    const orders = this.orders();
    const byStatus: Record<string, number> = {};
    for (const order of orders) byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
    const problems: string[] = [];
    const itemless = this.all<{ out_trade_no: string }>('select o.out_trade_no from orders o where not exists (select 1 from order_items i where i.order_id = o.id)');
    for (const row of itemless) problems.push(`${row.out_trade_no}: order without items`);
    const mismatched = this.all<{ out_trade_no: string; total_fen: number; subsidy_discount_fen: number; payable_fen: number; items_total: number; items_subsidy: number }>(
        `select o.out_trade_no, o.total_fen, o.subsidy_discount_fen, o.payable_fen,
                coalesce(sum(i.quantity * i.unit_price_fen), 0) as items_total,
                coalesce(sum(i.subsidy_discount_fen), 0) as items_subsidy
         from orders o left join order_items i on i.order_id = o.id group by o.id`,
    ).map((row) => ({ ...row, total_fen: Number(row.total_fen), subsidy_discount_fen: Number(row.subsidy_discount_fen), payable_fen: Number(row.payable_fen), items_total: Number(row.items_total), items_subsidy: Number(row.items_subsidy) }));
    for (const row of mismatched) {
      if (row.items_total !== row.total_fen) problems.push(`${row.out_trade_no}: total_fen ${String(row.total_fen)} ≠ items ${String(row.items_total)}`);
      if (row.items_subsidy !== row.subsidy_discount_fen) problems.push(`${row.out_trade_no}: subsidy ${String(row.subsidy_discount_fen)} ≠ items ${String(row.items_subsidy)}`);
      if (row.total_fen - row.subsidy_discount_fen !== row.payable_fen) problems.push(`${row.out_trade_no}: payable ${String(row.payable_fen)} ≠ total − subsidy`);
    }
    const moneyArrived = new Set(['paid', 'partially_refunded', 'refunded']);
    for (const order of orders) {
      if (moneyArrived.has(order.status) && (order.transaction_id === null || order.paid_at === null)) problems.push(`${order.out_trade_no}: ${order.status} without transaction_id/paid_at`);
      if (!moneyArrived.has(order.status) && order.transaction_id !== null) problems.push(`${order.out_trade_no}: ${order.status} but has transaction_id`);
      if (order.status === 'closed' && order.closed_at === null) problems.push(`${order.out_trade_no}: closed without closed_at`);
    }
    const paidEvents = this.all<{ order_id: string; n: number }>(`select order_id, count(*) as n from order_events where kind = 'paid' group by order_id`).map((row) => ({ ...row, n: Number(row.n) }));
    const paidTransitions = paidEvents.reduce((sum, row) => sum + row.n, 0);
    const doublyPaid = paidEvents.filter((row) => row.n > 1).map((row) => row.order_id);
    const paidIds = new Set(paidEvents.map((row) => row.order_id));
    for (const order of orders) {
      if (moneyArrived.has(order.status) && !paidIds.has(order.id)) problems.push(`${order.out_trade_no}: ${order.status} without a 'paid' event`);
    }
    problems.push(...this.refundProblems());
    const paidOrders = orders.filter((order) => moneyArrived.has(order.status)).length;
    return { orders: orders.length, byStatus, paidTransitions, paidOrders, doublyPaid, problems };
  }

  /** Each order's refund columns agree with its refunds of its own payment, and its status with what reached the buyer. */
  private refundProblems(): string[] {
    const rows = this.all<{ out_trade_no: string; status: string; payable_fen: number; refund_held_fen: number; refunded_fen: number; held: number; succeeded: number }>(
      `select o.out_trade_no, o.status, o.payable_fen, o.refund_held_fen, o.refunded_fen,
              coalesce(sum(case when r.status in ('requested', 'processing', 'succeeded', 'abnormal') then r.refund_fen else 0 end), 0) as held,
              coalesce(sum(case when r.status = 'succeeded' then r.refund_fen else 0 end), 0) as succeeded
       from orders o left join refunds r on r.order_id = o.id and r.transaction_id = o.transaction_id
       group by o.id`,
    );
    const problems: string[] = [];
    for (const row of rows) {
      const [payable, held, refunded] = [Number(row.payable_fen), Number(row.refund_held_fen), Number(row.refunded_fen)];
      if (held !== Number(row.held)) problems.push(`${row.out_trade_no}: refund_held_fen ${String(held)} ≠ its refunds ${String(row.held)}`);
      if (refunded !== Number(row.succeeded)) problems.push(`${row.out_trade_no}: refunded_fen ${String(refunded)} ≠ its succeeded refunds ${String(row.succeeded)}`);
      if (held > payable) problems.push(`${row.out_trade_no}: refunds hold more than was paid`);
      const expected = refunded === 0 ? null : refunded >= payable ? 'refunded' : 'partially_refunded';
      if (expected !== null && row.status !== expected) problems.push(`${row.out_trade_no}: ${row.status} with ${String(refunded)} of ${String(payable)} fen refunded`);
    }
    return problems;
  }

  close(): void {
    this.reader.close();
  }
}

/** Money and flags as numbers on both backends (bigint may arrive as a string). */
function normalizeOrder(row: OrderRow): OrderRow {
  return { ...row, payable_fen: Number(row.payable_fen), cancel_requested: Number(row.cancel_requested) };
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
