// The stack a merchant would write instead of the BFF: Koa, the npm SDK tenpay (its Koa notify
// middleware; unifiedorder + paySign through getPayParams) and better-sqlite3 over the BFF's own
// schema (a copy of its database), with the BFF's durability (WAL, synchronous=FULL). It does the
// checks tenpay offers and what a merchant must add to move an order (look it up, update it once).
import { createRequire } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';
import Koa from 'koa';
import { announceListening } from './announce-listening';

interface TenpayKoaContext extends Koa.Context {
  reply(message?: string): void;
  request: Koa.Request & { body?: unknown; weixin?: Record<string, string> };
}
interface Tenpay {
  urls: Record<string, string>;
  middleware(type: 'pay'): (ctx: TenpayKoaContext, next: () => Promise<void>) => Promise<void>;
  getPayParams(params: Record<string, string | number>): Promise<Record<string, string>>;
}
const TenpayClass = createRequire(import.meta.url)('tenpay') as new (config: Record<string, string>) => Tenpay;

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};
const appId = env('WXPAY_APP_ID');
const mchId = env('WXPAY_MCH_ID');
const tenpay = new TenpayClass({ appid: appId, mchid: mchId, partnerKey: env('WXPAY_API_KEY'), notify_url: env('WXPAY_NOTIFY_URL') });
// tenpay hard-codes https://api.mch.weixin.qq.com per API in a plain `urls` object on the
// instance; pointing unifiedorder at the emulator is one assignment (urllib speaks http too).
tenpay.urls.unifiedorder = `${env('WXPAY_MCH_BASE_URL')}/pay/unifiedorder`;

const db = new BetterSqlite3(env('SQLITE_PATH'));
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'}`);

const findUser = db.prepare<[string], { id: string; openid: string }>('select id, openid from users where id = ?');
const findProduct = db.prepare<[string], { id: string; name: string; price_fen: number }>('select id, name, price_fen from products where id = ? and active = 1');
const insertOrder = db.prepare(
  `insert into orders (id, user_id, out_trade_no, status, app_id, mch_id, sign_type, total_fen, subsidy_discount_fen, payable_fen, unifiedorder_params, cancel_requested, created_at, expires_at, updated_at)
   values (?, ?, ?, 'pending', ?, ?, 'HMAC-SHA256', ?, 0, ?, ?, 0, ?, ?, ?)`,
);
const insertItem = db.prepare('insert into order_items (order_id, line_no, product_id, name, quantity, unit_price_fen, subsidy_discount_fen) values (?, ?, ?, ?, ?, ?, 0)');
const insertEvent = db.prepare('insert into order_events (id, order_id, kind, detail, at) values (?, ?, ?, ?, ?)');
const setPrepay = db.prepare(`update orders set prepay_id = ?, updated_at = ? where id = ? and status = 'pending'`);
const markPaid = db.prepare(`update orders set status = 'paid', transaction_id = ?, paid_at = ?, updated_at = ? where out_trade_no = ? and status = 'pending'`);
const findOrderId = db.prepare<[string], { id: string }>('select id from orders where out_trade_no = ?');

let counter = 0;
const nextId = (): string => `${String(process.pid)}${String((counter += 1)).padStart(12, '0')}`;

const readBody = async (ctx: Koa.Context): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const app = new Koa();
const notify = tenpay.middleware('pay');
app.use(async (ctx) => {
  if (ctx.method === 'POST' && ctx.path === '/wxpay/notify') {
    const context = ctx as TenpayKoaContext;
    // tenpay's middleware wants the raw XML as a string in ctx.request.body.
    context.request.body = await readBody(ctx);
    await notify(context, () => {
      const info = context.request.weixin ?? {};
      const now = new Date().toISOString();
      const paid = db.transaction(() => {
        const order = findOrderId.get(info.out_trade_no ?? '');
        if (order === undefined) return false;
        if (markPaid.run(info.transaction_id ?? '', now, now, info.out_trade_no ?? '').changes === 1) insertEvent.run(`tp${nextId()}`, order.id, 'paid', 'by notify', now);
        return true;
      })();
      context.reply(paid ? undefined : 'order not found');
      return Promise.resolve();
    });
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/api/orders') {
    const user = findUser.get((ctx.get('authorization') || '').replace(/^Bearer /, ''));
    if (user === undefined) {
      ctx.status = 401;
      return;
    }
    const body = JSON.parse(await readBody(ctx)) as { items: { productId: string; quantity: number }[] };
    const lines = body.items.map((item, i) => {
      const product = findProduct.get(item.productId);
      if (product === undefined) return ctx.throw(400, 'unknown product');
      return { lineNo: i + 1, product, quantity: item.quantity };
    });
    const total = lines.reduce((sum, line) => sum + Number(line.product.price_fen) * line.quantity, 0);
    const id = `ord_tp${nextId()}`;
    const outTradeNo = `TP${nextId()}`;
    const now = new Date();
    const params = { body: lines[0]?.product.name ?? 'order', out_trade_no: outTradeNo, total_fee: total, openid: user.openid, sign_type: 'HMAC-SHA256' };
    db.transaction(() => {
      insertOrder.run(id, user.id, outTradeNo, appId, mchId, total, total, JSON.stringify(params), now.toISOString(), new Date(now.getTime() + 7_200_000).toISOString(), now.toISOString());
      for (const line of lines) insertItem.run(id, line.lineNo, line.product.id, line.product.name, line.quantity, line.product.price_fen);
      insertEvent.run(`tp${nextId()}`, id, 'created', `payable_fen=${String(total)}`, now.toISOString());
    })();
    // unifiedorder (tenpay signs, checks return_code, result_code, appid, mch_id and the answer's sign) + paySign.
    const payment = await tenpay.getPayParams(params);
    const prepayId = (payment.package ?? '').replace(/^prepay_id=/, '');
    db.transaction(() => {
      setPrepay.run(prepayId, new Date().toISOString(), id);
      insertEvent.run(`tp${nextId()}`, id, 'prepay', 'created', new Date().toISOString());
    })();
    ctx.status = 201;
    ctx.body = { order: { id, outTradeNo, payableFen: total }, payment };
    return;
  }
  ctx.status = 404;
});
const server = app.listen(Number(process.env.PORT ?? '0'), '127.0.0.1', () => announceListening(server));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
