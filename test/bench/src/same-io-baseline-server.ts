// The same-I/O baseline for checkout: a bare Koa route that does the I/O a checkout does and
// nothing else: one keep-alive XML POST to an upstream that answers a constant body, and one
// SQLite transaction inserting the rows of an order (order, items, events: copies of rows the BFF
// wrote) with the BFF's durability (WAL, synchronous=FULL). No pricing, session, signing or parsing.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import BetterSqlite3 from 'better-sqlite3';
import Koa from 'koa';
import { announceListening } from './announce-listening';
import type { Row } from './bench-database';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};
const template = JSON.parse(readFileSync(env('BENCH_TEMPLATE_FILE'), 'utf8')) as { order: Row; items: Row[]; events: Row[] };
const upstream = new URL(env('BENCH_UPSTREAM_URL'));
const db = new BetterSqlite3(env('SQLITE_PATH'));
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'}`);

const insertStatement = (table: string, row: Row) => {
  const columns = Object.keys(row);
  return { columns, statement: db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`) };
};
const orderInsert = insertStatement('orders', template.order);
const itemInsert = template.items[0] === undefined ? null : insertStatement('order_items', template.items[0]);
const eventInsert = template.events[0] === undefined ? null : insertStatement('order_events', template.events[0]);
let counter = 0;
const insertOrder = db.transaction((n: number) => {
  const id = `ord_sameio${String(process.pid)}_${String(n)}`;
  const order: Row = { ...template.order, id, out_trade_no: `SAMEIO${String(process.pid)}${String(n).padStart(12, '0')}` };
  orderInsert.statement.run(...orderInsert.columns.map((c) => order[c] ?? null));
  for (const item of template.items) itemInsert?.statement.run(...itemInsert.columns.map((c) => ({ ...item, order_id: id })[c] ?? null));
  for (const [i, event] of template.events.entries()) eventInsert?.statement.run(...eventInsert.columns.map((c) => ({ ...event, id: `${id}_${String(i)}`, order_id: id })[c] ?? null));
});

const agent = new Agent({ keepAlive: true });
const requestBody = Buffer.from(`<xml><appid>wx0000000000000000</appid><body>bench</body><out_trade_no>SAMEIO</out_trade_no><total_fee>1</total_fee>${'<x>0</x>'.repeat(40)}</xml>`);
const postUpstream = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const req = request(upstream, { method: 'POST', agent, headers: { 'content-type': 'text/xml', 'content-length': requestBody.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(requestBody);
  });

const app = new Koa();
app.use(async (ctx) => {
  for await (const chunk of ctx.req) void chunk;
  const answer = await postUpstream();
  insertOrder((counter += 1));
  ctx.body = { ok: answer.length > 0 };
});
const server = app.listen(Number(process.env.PORT ?? '0'), '127.0.0.1', () => announceListening(server));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
