import type { ContractClient } from '@checkout/test-harness';
import type { BenchBackend, BenchConfig } from './bench-config';
import type { BenchDatabase } from './bench-database';
import type { BenchStack } from './bench-stack';
import type { LoadResult } from './load';
import { log, measure, type Measured, type Pids, type ScenarioSpec, type Warmup } from './measure';
import { seedNotifyOrders, type NotifySizes } from './notify-order-sets';
import { seedOrders, seedUsers, type OrderTemplate, type SeedIds, type SeedOrder } from './order-seeder';
import type { ScenarioRow } from './report';
import { explainHotQueries, timeHistoryPage, timeSweeperPass, type QueryPlan } from './scale-queries';

export interface ScaleRun {
  rows: ScenarioRow[];
  /** Seconds each bulk step took, and how many rows it wrote. */
  seeding: { step: string; seconds: number; orders: number }[];
  sweeper: { emptyMs: number; scaleMs: number; orders: number };
  plans: QueryPlan[];
  plansMarkdown: string;
}

interface ScaleContext {
  backend: BenchBackend;
  label: string;
  bench: BenchStack;
  db: BenchDatabase;
  template: OrderTemplate;
  ids: SeedIds;
  userIds: readonly string[];
  sizes: NotifySizes;
  config: BenchConfig;
  load: (warmup: Warmup | null) => { connections: number; durationSeconds: number; warmup: Warmup | null };
  /** The same runs on the database before the history was added. */
  empty: { notifyFirst: Measured; notifyMix: Measured; checkout: Measured };
  checkoutSpec: (name: string, urls: readonly string[], tokens: readonly string[]) => ScenarioSpec;
  ack: string;
}

const day = 86_400_000;
const noCpu = { serverMs: null, emulatorMs: null, databaseMs: null, perServerMs: [] };
const within15 = (ratio: number): boolean => ratio >= 0.85;

/** A login after a long bulk step: fetch may reuse a keep-alive socket the BFF has just closed; try once more. */
async function loginAfterIdle(stack: BenchStack['stack'], openid?: string): Promise<ContractClient> {
  try {
    return await stack.login(openid);
  } catch {
    return stack.login(openid);
  }
}

async function userIdOf(db: BenchDatabase, openid: string): Promise<string> {
  const [row] = await db.all('select id from users where openid = ?', [openid]);
  if (row === undefined) throw new Error(`no user ${openid}`);
  return String(row.id);
}

/** Paid orders spread over the past year, oldest first (their ids and out_trade_no grow with time, as the BFF's do). */
function paidHistory(ids: SeedIds, count: number, userOf: (i: number) => string, now: number): SeedOrder[] {
  return Array.from({ length: count }, (_, i) => {
    const createdAt = new Date(now - 365 * day + Math.floor((i * 365 * day) / count));
    return { ...ids.order(createdAt), userId: userOf(i), createdAt, paid: { transactionId: ids.transaction(), paidAt: new Date(createdAt.getTime() + 60_000) } };
  });
}

/** Pending orders created 2 to 90 minutes ago: due for the sweeper's orderquery. */
function stalePending(ids: SeedIds, count: number, userOf: (i: number) => string, now: number): SeedOrder[] {
  return Array.from({ length: count }, (_, i) => {
    const createdAt = new Date(now - 90 * 60_000 + Math.floor((i * 88 * 60_000) / count));
    return { ...ids.order(createdAt), userId: userOf(i), createdAt };
  });
}

async function timed<T>(seeding: ScaleRun['seeding'], step: string, orders: number, work: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const value = await work();
  const seconds = (Date.now() - start) / 1000;
  seeding.push({ step, seconds, orders });
  log(`${step}: ${seconds.toFixed(1)} s${orders > 0 ? ` for ${String(orders)} orders (${(orders / seconds).toFixed(0)} orders/s with their rows)` : ''}`);
  return value;
}

const fakeResult = (name: string, medianMs: number, total: number): LoadResult => ({
  name,
  requestsPerSecond: 1000 / medianMs,
  latencyP50Ms: medianMs,
  latencyP99Ms: medianMs,
  latencyMaxMs: medianMs,
  total,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  mismatches: 0,
  connections: 1,
  durationSeconds: 0,
});

/**
 * The scale runs on one backend, after its empty-database runs: the history is added in bulk
 * (BENCH_SCALE_ORDERS paid orders with their items, events and notifications, BENCH_SCALE_PENDING
 * stale pending orders, a buyer with BENCH_SCALE_BUYER_ORDERS orders), then notify, checkout, a
 * sweeper pass's reads and an order-history page are measured again and compared.
 */
export async function runScale(ctx: ScaleContext): Promise<ScaleRun> {
  const { db, ids, bench, label, config, load } = ctx;
  const { stack } = bench;
  const pids: Pids = { servers: bench.bffPids, emulator: bench.emulatorPid, postgres: bench.postgresPid };
  const seeding: ScaleRun['seeding'] = [];
  const now = Date.now();
  const scaleLabel = `${label}, ${String(config.scale.historicalOrders / 1e6)}M orders`;

  // Empty-database figures: a buyer with one page of history, one page of stale pending orders.
  const lightOpenid = 'oBenchLightBuyer000000000001';
  const light: ContractClient = await stack.login(lightOpenid);
  const lightId = await userIdOf(db, lightOpenid);
  await seedOrders(db, ctx.template, [...paidHistory(ids, 20, () => lightId, now), ...stalePending(ids, 100, (i) => ctx.userIds[i % ctx.userIds.length] ?? '', now)], ids);
  const sweepRuns = 51;
  const emptySweeper = await timeSweeperPass(db, sweepRuns);
  log(`sweeper pass reads · ${label}, empty: ${emptySweeper.medianMs.toFixed(2)} ms (${String(emptySweeper.orders)} orders)`);
  const historySpec = (name: string, client: ContractClient): ScenarioSpec => ({ name, urls: bench.bffUrls, method: 'GET', path: '/api/orders?limit=20', headers: { authorization: `Bearer ${client.token ?? ''}` } });
  const middleOf = async (userId: string, count: number): Promise<{ createdAt: string; id: string }> => {
    const [row] = await db.all('select id, created_at from orders where user_id = ? order by created_at desc, id desc limit 1 offset ?', [userId, Math.floor(count / 2)]);
    return { createdAt: String(row?.created_at), id: String(row?.id) };
  };
  const emptyLaterPage = await timeHistoryPage(db, lightId, await middleOf(lightId, 20), sweepRuns);
  const emptyHistory = await measure(historySpec(`order history page · ${label}, buyer with 20 orders`, light), pids, load({ seconds: config.warmupSeconds }));

  // The history, in bulk, before the runs.
  const historyUsers = await timed(seeding, 'users for the history', 0, () => seedUsers(db, Math.ceil(config.scale.historicalOrders / 20), ids, new Date(now - 366 * day)));
  const chunk = 100_000;
  await timed(seeding, 'historical paid orders (order, item, created/prepay/paid events, stored notification)', config.scale.historicalOrders, async () => {
    for (let start = 0; start < config.scale.historicalOrders; start += chunk) {
      const count = Math.min(chunk, config.scale.historicalOrders - start);
      const part = paidHistory(ids, count, (i) => historyUsers[(start + i) % historyUsers.length] ?? '', now - ((config.scale.historicalOrders - start - count) * 365 * day) / config.scale.historicalOrders);
      await seedOrders(db, ctx.template, part, ids);
    }
  });
  await timed(seeding, 'stale pending orders', config.scale.pendingOrders, () => seedOrders(db, ctx.template, stalePending(ids, config.scale.pendingOrders, (i) => historyUsers[i % historyUsers.length] ?? '', now), ids));
  const heavyOpenid = 'oBenchHeavyBuyer000000000001';
  const heavy = await loginAfterIdle(stack, heavyOpenid);
  const heavyId = await userIdOf(db, heavyOpenid);
  await timed(seeding, 'one buyer\'s history', config.scale.buyerOrders, () => seedOrders(db, ctx.template, paidHistory(ids, config.scale.buyerOrders, () => heavyId, now), ids));
  // PostgreSQL's autovacuum would have analyzed tables this size in production; SQLite is left as the BFF leaves it.
  if (db.kind === 'postgres') await timed(seeding, 'analyze', 0, () => db.all('analyze'));
  const bodies = await timed(seeding, 'pending orders for the notify runs', 0, () => seedNotifyOrders(db, ctx.template, ids, ctx.userIds, { ...ctx.sizes, repeatOrders: 0 }));

  const notifySpec = (name: string, list: readonly string[]): ScenarioSpec => ({ name: `${name} · ${scaleLabel}`, urls: bench.bffUrls, method: 'POST', path: '/wxpay/notify', headers: { 'content-type': 'text/xml' }, bodies: list, expectBody: ctx.ack, amount: list.length });
  const first = await measure(notifySpec('notify, first delivery', bodies.first), pids, load({ bodies: bodies.firstWarmup }));
  const mix = await measure(notifySpec('notify, mix 1 first : 3 copies', bodies.mix), pids, load({ bodies: bodies.mixWarmup }));
  const tokens = (await Promise.all(Array.from({ length: 16 }, () => loginAfterIdle(stack)))).map((client) => client.token ?? '');
  const checkout = await measure(ctx.checkoutSpec(`checkout · ${scaleLabel}`, bench.bffUrls, tokens), pids, load({ seconds: config.warmupSeconds }));
  const scaleSweeper = await timeSweeperPass(db, sweepRuns);
  log(`sweeper pass reads · ${scaleLabel}: ${scaleSweeper.medianMs.toFixed(2)} ms (${String(scaleSweeper.orders)} orders)`);
  const history = await measure(historySpec(`order history page · ${scaleLabel}, buyer with ${String(config.scale.buyerOrders)} orders`, heavy), pids, load({ seconds: config.warmupSeconds }));

  const heavyMiddle = await middleOf(heavyId, config.scale.buyerOrders);
  const scaleLaterPage = await timeHistoryPage(db, heavyId, heavyMiddle, sweepRuns);
  log(`history page after the middle · ${label}: ${emptyLaterPage.toFixed(2)} ms (20 orders), ${scaleLaterPage.toFixed(2)} ms (${String(config.scale.buyerOrders)} orders)`);
  const [sample] = await db.all('select id, out_trade_no, user_id, created_at from orders where user_id = ? order by created_at desc limit 1 offset ?', [heavyId, Math.floor(config.scale.buyerOrders / 2)]);
  const plans = await explainHotQueries(db, { id: String(sample?.id), outTradeNo: String(sample?.out_trade_no), userId: heavyId, createdAt: String(sample?.created_at) });
  const plansMarkdown = [`Query plans · ${scaleLabel} (${db.kind === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'}):`, '', ...plans.map((p) => `- ${p.query}: \`${p.plan.join(' → ')}\``)].join('\n');

  const vsEmpty = (scale: Measured, empty: Measured, what: string): ScenarioRow => {
    const ratio = scale.result.requestsPerSecond / empty.result.requestsPerSecond;
    return { ...scale, what, vsBare: 0, comparisons: [{ ratio, against: 'empty DB', style: 'times' }], target: 'within 15 % of empty DB', met: within15(ratio) && scale.result.non2xx + scale.result.mismatches + scale.result.errors === 0 };
  };
  const sweeperRatio = emptySweeper.medianMs / scaleSweeper.medianMs;
  const rows: ScenarioRow[] = [
    vsEmpty(first, ctx.empty.notifyFirst, 'as the empty-DB first delivery'),
    vsEmpty(mix, ctx.empty.notifyMix, 'as the empty-DB mix'),
    vsEmpty(checkout, ctx.empty.checkout, 'as the empty-DB checkout'),
    { ...emptyHistory, what: 'GET /api/orders?limit=20: session, a page of orders with their items', vsBare: 0, comparisons: [], target: '', met: null },
    vsEmpty(history, emptyHistory, 'the newest page of a long history'),
    {
      result: fakeResult(`order history, page after the middle · ${label}, buyer with 20 orders`, emptyLaterPage, sweepRuns),
      what: `the cursor query of a later page and its items, median ms of ${String(sweepRuns)} in the bench process; req/s = pages/s`,
      vsBare: null,
      comparisons: [],
      target: '',
      met: null,
      cpu: noCpu,
    },
    {
      result: fakeResult(`order history, page after the middle · ${scaleLabel}, buyer with ${String(config.scale.buyerOrders)} orders`, scaleLaterPage, sweepRuns),
      what: 'same, cursor at the middle of the history',
      vsBare: null,
      comparisons: [{ ratio: emptyLaterPage / scaleLaterPage, against: 'empty DB', style: 'times' }],
      target: 'within 15 % of empty DB',
      met: within15(emptyLaterPage / scaleLaterPage),
      cpu: noCpu,
    },
    {
      result: fakeResult(`sweeper pass reads · ${label}, 100 pending orders`, emptySweeper.medianMs, sweepRuns),
      what: `the reads of one sweeper pass (due-for-orderquery page, due-for-close page, items per order; ${String(emptySweeper.orders)} orders): median ms of ${String(sweepRuns)} in the bench process; req/s = passes/s`,
      vsBare: null,
      comparisons: [],
      target: '',
      met: null,
      cpu: noCpu,
    },
    {
      result: fakeResult(`sweeper pass reads · ${scaleLabel} + ${String(config.scale.pendingOrders / 1000)}k pending`, scaleSweeper.medianMs, sweepRuns),
      what: `same (${String(scaleSweeper.orders)} orders)`,
      vsBare: null,
      comparisons: [{ ratio: sweeperRatio, against: 'empty DB', style: 'times' }],
      target: 'within 15 % of empty DB',
      met: within15(sweeperRatio),
      cpu: noCpu,
    },
  ];
  return { rows, seeding, sweeper: { emptyMs: emptySweeper.medianMs, scaleMs: scaleSweeper.medianMs, orders: scaleSweeper.orders }, plans, plansMarkdown };
}
