import type { BenchDatabase } from './bench-database';

/*
 * The reads whose cost could grow with the database, in the SQL the BFF's repository
 * (apps/bff/src/adapters/kysely-order-repository.ts) sends: the bench runs and explains them on
 * the BFF's own database. Keep them in step with that file.
 */
const dueForQuery = `select * from orders where status = ? and created_at < ? and (last_queried_at is null or last_queried_at < ?) order by created_at limit ?`;
const dueForClosePending = `select * from orders where status = ? and created_at <= ? and (expires_at <= ? or cancel_requested = ?) order by created_at limit ?`;
const dueForCloseFailed = `select * from orders where status = ? and closed_at is null and created_at <= ? order by created_at limit ?`;
const itemsOf = 'select * from order_items where order_id = ? order by line_no';
const historyFirstPage = 'select * from orders where user_id = ? order by created_at desc, id desc limit ?';
const historyLaterPage = 'select * from orders where user_id = ? and (created_at, id) < (?, ?) order by created_at desc, id desc limit ?';

/** The sweeper's defaults (apps/bff/src/env.ts): batch 50, query after 60 s, re-query every 60 s, close floor 5 min. */
const sweeperBatch = 50;

/** One sweeper pass's reads: the due-for-query page and the due-for-close pages (pending, failed), each order with its items. */
export async function sweeperPassReads(db: BenchDatabase, now: Date): Promise<number> {
  const minute = new Date(now.getTime() - 60_000).toISOString();
  const queried = await db.all(dueForQuery, ['pending', minute, minute, sweeperBatch]);
  for (const row of queried) await db.all(itemsOf, [row.id]);
  const floor = new Date(now.getTime() - 300_000).toISOString();
  const closing = [
    ...(await db.all(dueForClosePending, ['pending', floor, now.toISOString(), 1, sweeperBatch])),
    ...(await db.all(dueForCloseFailed, ['failed', floor, sweeperBatch])),
  ].slice(0, sweeperBatch);
  for (const row of closing) await db.all(itemsOf, [row.id]);
  return queried.length + closing.length;
}

/** Median ms of `runs` sweeper passes' reads (nothing is written: the same page each time). */
export async function timeSweeperPass(db: BenchDatabase, runs: number): Promise<{ medianMs: number; orders: number }> {
  const times: number[] = [];
  let orders = 0;
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    orders = await sweeperPassReads(db, new Date());
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)] ?? 0, orders };
}

/** Median ms of `runs` reads of the page of a buyer's history that starts after `cursor` (the route's cursor query plus the page's items). */
export async function timeHistoryPage(db: BenchDatabase, userId: string, cursor: { createdAt: string; id: string }, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const rows = await db.all(historyLaterPage, [userId, cursor.createdAt, cursor.id, 20]);
    for (const row of rows) await db.all(itemsOf, [row.id]);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

export interface QueryPlan {
  query: string;
  sql: string;
  plan: string[];
}

/** The plans for the notify lookup, the uniqueness checks of checkout's inserts, the sweeper's and the history's pages. */
export async function explainHotQueries(db: BenchDatabase, sample: { outTradeNo: string; userId: string; createdAt: string; id: string }): Promise<QueryPlan[]> {
  const now = new Date();
  const list: [string, string, unknown[]][] = [
    ['notify: find the order by out_trade_no', 'select id, status, app_id, mch_id, payable_fen, transaction_id, sign_type from orders where out_trade_no = ?', [sample.outTradeNo]],
    ['notify: load the order (after the update)', 'select * from orders where id = ?', [sample.id]],
    ['notify: stored notification by dedupe_key (its upsert)', 'select id from pay_notifications where dedupe_key = ?', ['x']],
    ['checkout insert: out_trade_no unique', 'select 1 from orders where out_trade_no = ?', [sample.outTradeNo]],
    ['checkout insert: transaction_id unique', 'select 1 from orders where transaction_id = ?', ['x']],
    ['checkout insert: (user_id, idempotency_key) unique', 'select 1 from orders where user_id = ? and idempotency_key = ?', [sample.userId, 'x']],
    ['checkout insert: order_items primary key', 'select 1 from order_items where order_id = ? and line_no = ?', [sample.id, 1]],
    ['sweeper: pending orders due for orderquery', dueForQuery, ['pending', now.toISOString(), now.toISOString(), sweeperBatch]],
    ['sweeper: pending orders due for closeorder', dueForClosePending, ['pending', now.toISOString(), now.toISOString(), 1, sweeperBatch]],
    ['sweeper: failed orders not yet closed', dueForCloseFailed, ['failed', now.toISOString(), sweeperBatch]],
    ['order history: first page', historyFirstPage, [sample.userId, 20]],
    ['order history: a later page (cursor)', historyLaterPage, [sample.userId, sample.createdAt, sample.id, 20]],
  ];
  const plans: QueryPlan[] = [];
  for (const [query, sql, params] of list) plans.push({ query, sql, plan: await db.plan(sql, params) });
  return plans;
}
