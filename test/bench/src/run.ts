// `pnpm bench`: the BFF on loopback under autocannon, on each backend of BENCH_BACKENDS: notify
// (first deliveries, repeats, the realistic mix) and checkout, against baselines measured in the
// same run: a bare Koa route (the HTTP floor), a same-I/O route for checkout, the stack a merchant
// would build on tenpay, and (BENCH_SCALE) the same runs on a database with a million orders.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { apiRoutes } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { expectOk, startPostgres, type ContractClient, type RunningPostgres } from '@checkout/test-harness';
import { benchConfig, type BenchBackend } from './bench-config';
import { openPostgres, openSqlite, type BenchDatabase } from './bench-database';
import { startBenchServer, type BenchServer } from './bench-server-process';
import { startBenchStack, type BenchStack } from './bench-stack';
import { machineInfo } from './machine';
import { log, measure, type Measured, type Pids, type ScenarioSpec, type Warmup } from './measure';
import { seedNotifyOrders, type NotifyBodies, type NotifySizes } from './notify-order-sets';
import { signedNotification } from './notify-deliveries';
import { readOrderTemplate, readPendingRows, SeedIds, type OrderTemplate } from './order-seeder';
import { markdownTable, type Comparison, type ScenarioRow } from './report';
import { runScale, type ScaleRun } from './scale-run';

const successAck = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
// tenpay's reply() builds its ack with xml2js: same meaning, other bytes.
const tenpayAck = (createRequire(import.meta.url)('tenpay/lib/util') as { buildXML(fields: Record<string, string>): string }).buildXML({ return_code: 'SUCCESS' });
const config = benchConfig();
const machine = machineInfo();
const load = (warmup: Warmup | null) => ({ connections: config.connections, durationSeconds: config.durationSeconds, warmup });
const sizes: NotifySizes = {
  warmupOrders: Math.max(1000, 500 * config.warmupSeconds),
  firstDeliveries: config.firstDeliveries,
  mixFirstDeliveries: config.mixFirstDeliveries,
  repeatOrders: config.notifyOrders,
};
const xml = { 'content-type': 'text/xml' };
const json = { 'content-type': 'application/json' };
const cart = JSON.stringify({ items: [{ productId: 'kettle', quantity: 1 }] });

const backendLabel: Record<BenchBackend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', 'postgres-2x': 'PostgreSQL, 2 BFFs' };

interface NotifyRuns {
  first: Measured;
  repeat: Measured;
  mix: Measured;
}

/** The three notify scenarios against one server (the BFF or the tenpay stack). */
async function runNotifyScenarios(label: string, urls: readonly string[], bodies: NotifyBodies, pids: Pids, ack: string): Promise<NotifyRuns> {
  const spec = (name: string, list: readonly string[], counted: boolean): ScenarioSpec => ({ name: `${name} · ${label}`, urls, method: 'POST', path: '/wxpay/notify', headers: xml, bodies: list, expectBody: ack, ...(counted ? { amount: list.length } : {}) });
  const first = await measure(spec('notify, first delivery', bodies.first, true), pids, load({ bodies: bodies.firstWarmup }));
  // Each repeat order is paid once by the warm-up; the measured run then only repeats (today's figure).
  const repeat = await measure(spec('notify, repeat', bodies.repeat, false), pids, load({ bodies: bodies.repeat }));
  const mix = await measure(spec('notify, mix 1 first : 3 copies', bodies.mix, true), pids, load({ bodies: bodies.mixWarmup }));
  return { first, repeat, mix };
}

const checkoutSpec = (name: string, urls: readonly string[], tokens: readonly string[]): ScenarioSpec => ({
  name,
  urls,
  method: apiRoutes.createOrder.method,
  path: apiRoutes.createOrder.path,
  headers: json,
  bodies: [cart],
  cycleHeader: { name: 'authorization', values: tokens.map((token) => `Bearer ${token}`) },
});

interface Baselines {
  sameIo: Measured;
  tenpayNotify: NotifyRuns;
  tenpayCheckout: Measured;
  tenpayPaid: number;
}

interface BackendRun {
  backend: BenchBackend;
  instances: number;
  notify: NotifyRuns;
  checkout: Measured;
  expectedPaid: number;
  paid: number;
  paidEvents: number;
  baselines: Baselines | null;
  scale: ScaleRun | null;
  scaleError: string | null;
}

/** A copy of the BFF's SQLite database as it is now: the schema its migrations made, the catalog, the buyers. */
function copySqlite(from: string, to: string): void {
  const db = new BetterSqlite3(from, { readonly: true });
  try {
    db.exec(`vacuum into '${to.replace(/'/g, "''")}'`);
  } finally {
    db.close();
  }
}

async function runBaselines(bench: BenchStack, template: OrderTemplate, userIds: readonly string[]): Promise<Baselines> {
  const { stack } = bench;
  const servers: BenchServer[] = [];
  try {
    // Same-I/O: a constant upstream and a route that posts to it and inserts one order's rows.
    const sameIoPath = join(stack.dir, 'same-io.sqlite');
    copySqlite(stack.sqlitePath, sameIoPath);
    const templateFile = join(stack.dir, 'same-io-template.json');
    writeFileSync(templateFile, JSON.stringify(template.pending));
    const upstream = await startBenchServer('constant-upstream', 'constant-upstream-server');
    servers.push(upstream);
    const sameIoServer = await startBenchServer('same-io', 'same-io-baseline-server', { SQLITE_PATH: sameIoPath, SQLITE_SYNCHRONOUS: config.sqliteSynchronous, BENCH_TEMPLATE_FILE: templateFile, BENCH_UPSTREAM_URL: `${upstream.url}/pay/unifiedorder` });
    servers.push(sameIoServer);
    const sameIo = await measure({ ...checkoutSpec('same-I/O baseline for checkout', [sameIoServer.url], userIds), cycleHeader: undefined }, { servers: [sameIoServer.process.pid], emulator: undefined, postgres: undefined }, load({ seconds: config.warmupSeconds }));

    // The tenpay-built stack, on its own copy, paying its own pending orders, calling the same emulator.
    const tenpayPath = join(stack.dir, 'tenpay.sqlite');
    copySqlite(stack.sqlitePath, tenpayPath);
    const tenpayDb = openSqlite(tenpayPath);
    const bodies = await seedNotifyOrders(tenpayDb, template, new SeedIds('T'), userIds, sizes);
    const tenpay = await startBenchServer('tenpay-stack', 'tenpay-stack-server', {
      SQLITE_PATH: tenpayPath,
      SQLITE_SYNCHRONOUS: config.sqliteSynchronous,
      WXPAY_APP_ID: devMerchant.appId,
      WXPAY_MCH_ID: devMerchant.mchId,
      WXPAY_API_KEY: devMerchant.apiKey,
      WXPAY_MCH_BASE_URL: stack.emulatorUrl,
      // Nothing is paid at the emulator in this run, so nothing is sent here.
      WXPAY_NOTIFY_URL: 'http://127.0.0.1:9/wxpay/notify',
    });
    servers.push(tenpay);
    const pids: Pids = { servers: [tenpay.process.pid], emulator: bench.emulatorPid, postgres: undefined };
    const tenpayNotify = await runNotifyScenarios('tenpay stack, SQLite', [tenpay.url], bodies, pids, tenpayAck);
    const tenpayCheckout = await measure(checkoutSpec('checkout · tenpay stack, SQLite', [tenpay.url], userIds), pids, load({ seconds: config.warmupSeconds }));
    const [paid] = await tenpayDb.all(`select count(*) as n from orders where status = 'paid'`);
    await tenpayDb.close();
    return { sameIo, tenpayNotify, tenpayCheckout, tenpayPaid: Number(paid?.n) };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** The BFF's own rows for one order (checkout, then the notification that paid it): what seeded orders copy. */
async function makeTemplate(db: BenchDatabase, buyer: ContractClient, bffUrl: string): Promise<OrderTemplate> {
  const created = expectOk(await buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
  const pending = await readPendingRows(db, created.order.id);
  const response = await fetch(`${bffUrl}/wxpay/notify`, {
    method: 'POST',
    headers: xml,
    body: signedNotification({ outTradeNo: created.order.outTradeNo, payableFen: created.order.payableFen, transactionId: `4200000000${String(Date.now()).slice(-8)}0000000000` }),
  });
  if ((await response.text()) !== successAck) throw new Error('the template order was not acked');
  return readOrderTemplate(db, created.order.id, pending);
}

async function runBackend(backend: BenchBackend, prefix: string): Promise<BackendRun> {
  log(`${backend}: starting the emulator and ${backend === 'postgres-2x' ? 'two BFF processes' : 'the BFF'} (${backendLabel[backend]})`);
  const bench = await startBenchStack(backend, config);
  let db: BenchDatabase | null = null;
  try {
    const { stack } = bench;
    const buyers: ContractClient[] = [];
    for (let i = 0; i < 16; i += 1) buyers.push(await stack.login());
    db = stack.databaseUrl === null ? openSqlite(stack.sqlitePath) : await openPostgres(stack.databaseUrl);
    const userIds = (await db.all('select id from users order by id')).map((row) => String(row.id));
    const template = await makeTemplate(db, buyers[0] as ContractClient, stack.bffUrl);
    const baselines = backend === 'sqlite' && config.baselines ? await runBaselines(bench, template, userIds) : null;

    log(`${backend}: seeding ${String(sizes.warmupOrders * 2 + sizes.firstDeliveries + sizes.mixFirstDeliveries + sizes.repeatOrders)} pending orders and signing their notifications`);
    const ids = new SeedIds(prefix);
    const bodies = await seedNotifyOrders(db, template, ids, userIds, sizes);
    const pids: Pids = { servers: bench.bffPids, emulator: bench.emulatorPid, postgres: bench.postgresPid };
    const label = backendLabel[backend];
    const notify = await runNotifyScenarios(label, bench.bffUrls, bodies, pids, successAck);
    const tokens = buyers.map((buyer) => buyer.token ?? '');
    const checkout = await measure(checkoutSpec(`checkout · ${label}`, bench.bffUrls, tokens), pids, load({ seconds: config.warmupSeconds }));
    const expectedPaid = 1 + bodies.firstWarmup.length + bodies.first.length + bodies.mixWarmup.length + bodies.mix.length / 4 + bodies.repeat.length;
    const [paid] = await db.all(`select count(*) as n from orders where status = 'paid'`);
    const [paidEvents] = await db.all(`select count(*) as n from order_events where kind = 'paid'`);
    let scale: ScaleRun | null = null;
    let scaleError: string | null = null;
    if (config.scale.enabled && (config.scale.backends as string[]).includes(backend)) {
      // A failed scale part (minutes of seeding) must not lose the rows measured before it.
      try {
        scale = await runScale({ backend, label, bench, db, template, ids, userIds, sizes, config, load, empty: { notifyFirst: notify.first, notifyMix: notify.mix, checkout }, checkoutSpec, ack: successAck });
      } catch (error) {
        scaleError = error instanceof Error ? error.message : String(error);
        log(`${backend}: the scale part failed: ${scaleError}`);
      }
    }
    return { backend, instances: bench.bffUrls.length, notify, checkout, expectedPaid, paid: Number(paid?.n), paidEvents: Number(paidEvents?.n), baselines, scale, scaleError };
  } finally {
    await db?.close();
    await bench.close();
  }
}

const percentOf = (ratio: number, against: string): Comparison => ({ ratio, against, style: 'percent' });
const timesOf = (ratio: number, against: string): Comparison => ({ ratio, against, style: 'times' });
const clean = (m: Measured): boolean => m.result.non2xx + m.result.mismatches + m.result.errors + m.result.timeouts === 0;

const durablePostgres: RunningPostgres | null = config.backends.some((backend) => backend !== 'sqlite')
  ? await startPostgres({ database: 'bench', durability: 'production' })
  : null;
// Every bench database is created on this server: PostgreSQL's defaults, every commit flushed.
if (durablePostgres !== null) process.env.TEST_DATABASE_URL = durablePostgres.urlFor('postgres');

const bare = await startBenchServer('bare-koa', 'bare-koa-server');
try {
  const bareBodies = Array.from({ length: 16 }, (_, i) => signedNotification({ outTradeNo: `BARE${String(i)}`, payableFen: 1, transactionId: String(i) }));
  const barePids: Pids = { servers: [bare.process.pid], emulator: undefined, postgres: undefined };
  const bareSpec = { urls: [bare.url], method: 'POST' as const, path: '/bare', headers: xml, bodies: bareBodies, expectBody: successAck };

  const bareBefore = await measure({ ...bareSpec, name: 'bare Koa route (before)' }, barePids, load({ seconds: config.warmupSeconds }));
  const runs: BackendRun[] = [];
  for (const [i, backend] of config.backends.entries()) runs.push(await runBackend(backend, `B${String(i)}`));
  const bareAfter = await measure({ ...bareSpec, name: 'bare Koa route (after)' }, barePids, load({ seconds: config.warmupSeconds }));

  const bareMean = (bareBefore.result.requestsPerSecond + bareAfter.result.requestsPerSecond) / 2;
  const vsBare = (m: Measured) => m.result.requestsPerSecond / bareMean;
  const rows: ScenarioRow[] = [{ ...bareBefore, what: 'POST, read body, constant XML ack', vsBare: null, comparisons: [], target: '', met: null }];
  const baselines = runs.find((run) => run.baselines !== null)?.baselines ?? null;
  if (baselines) {
    const { sameIo, tenpayNotify, tenpayCheckout } = baselines;
    rows.push({ ...sameIo, what: 'bare route + one keep-alive XML POST to a constant upstream + one SQLite transaction inserting an order\'s rows (FULL sync)', vsBare: vsBare(sameIo), comparisons: [], target: '', met: null });
    const tenpayRow = (m: Measured, what: string): ScenarioRow => ({ ...m, what, vsBare: vsBare(m), comparisons: [], target: '', met: null });
    rows.push(
      tenpayRow(tenpayNotify.first, 'tenpay middleware (xml2js, return/result code, appid, mch_id, sign) + update the pending order + paid event'),
      tenpayRow(tenpayNotify.repeat, 'same, order already paid: the update changes nothing'),
      tenpayRow(tenpayNotify.mix, '1 first delivery : 3 copies'),
      tenpayRow(tenpayCheckout, 'user by id, price, order + item + event, tenpay getPayParams (unifiedorder to the emulator + paySign), prepay update'),
    );
  }
  for (const run of runs) {
    const where = run.instances > 1 ? `, ${String(config.connections)} connections split over ${String(run.instances)} processes` : '';
    const onSqlite = run.backend === 'sqlite';
    const peer = (m: Measured, theirs: Measured | undefined): Comparison[] => (theirs === undefined ? [] : [timesOf(m.result.requestsPerSecond / theirs.result.requestsPerSecond, 'tenpay')]);
    const beatsTenpay = (m: Measured, theirs: Measured | undefined): boolean | null => (onSqlite && theirs !== undefined ? m.result.requestsPerSecond >= 1.5 * theirs.result.requestsPerSecond && clean(m) : null);
    const { first, repeat, mix } = run.notify;
    const t = baselines?.tenpayNotify;
    rows.push(
      { ...first, what: `every request pays a pending order: verify, load, check, pending → paid transaction (notification + event), ack${where}`, vsBare: vsBare(first), comparisons: peer(first, t?.first), target: onSqlite ? '≥ 1.5x tenpay' : '', met: beatsTenpay(first, t?.first) },
      { ...repeat, what: `${String(config.notifyOrders)} paid orders' notifications again: verify, one indexed read, ack`, vsBare: vsBare(repeat), comparisons: peer(repeat, t?.repeat), target: onSqlite ? '≥ 1.5x tenpay' : '', met: beatsTenpay(repeat, t?.repeat) },
      {
        ...mix,
        what: `1 first delivery : 3 copies of payments 100–300 deliveries earlier${where}`,
        vsBare: vsBare(mix),
        comparisons: peer(mix, t?.mix),
        target: `≥ 35 % of bare, p99 < 25 ms${onSqlite ? ', ≥ 1.5x tenpay' : ''}`,
        met: vsBare(mix) >= 0.35 && mix.result.latencyP99Ms < 25 && clean(mix) && beatsTenpay(mix, t?.mix) !== false,
      },
    );
    const sameIoRatio = baselines ? run.checkout.result.requestsPerSecond / baselines.sameIo.result.requestsPerSecond : null;
    rows.push({
      ...run.checkout,
      what: `session, price, order (1st commit), unifiedorder to the emulator, prepay (2nd commit), paySign${where}`,
      vsBare: vsBare(run.checkout),
      comparisons: [...(sameIoRatio === null ? [] : [percentOf(sameIoRatio, 'same-I/O')]), ...peer(run.checkout, baselines?.tenpayCheckout)],
      target: `≥ 50 % of same-I/O${onSqlite ? ', ≥ 1.5x tenpay' : ''}`,
      met: sameIoRatio === null ? null : sameIoRatio >= 0.5 && clean(run.checkout) && beatsTenpay(run.checkout, baselines?.tenpayCheckout) !== false,
    });
    if (run.scale) rows.push(...run.scale.rows.map((row) => ({ ...row, vsBare: row.vsBare === null ? null : row.result.requestsPerSecond / bareMean })));
  }
  rows.push({ ...bareAfter, what: 'same as before, after every other run', vsBare: null, comparisons: [], target: '', met: null });

  const paidNote = runs.map((run) => `${backendLabel[run.backend]}: ${String(run.paid)} of ${String(run.expectedPaid)} notified orders paid, ${String(run.paidEvents)} paid events${run.scaleError === null ? '' : ` (scale part failed: ${run.scaleError})`}`).join('; ');
  const note = `autocannon ${String(config.connections)} connections, load generator in the bench process; time-sized runs ${String(config.durationSeconds)} s after ${String(config.warmupSeconds)} s warm-up, first-delivery and mix runs sized by requests (${String(config.firstDeliveries)} first deliveries; ${String(config.mixFirstDeliveries * 4)} mixed requests) after ${String(sizes.warmupOrders)} warm-up deliveries. BFF: production build, LOG_LEVEL=warn, sweeper off; SQLite WAL synchronous=${config.sqliteSynchronous}; PostgreSQL with its default durability (fsync on), DATABASE_POOL_SIZE 10 per process. Everything shares the same cores. ${paidNote}.`;
  const table = markdownTable(rows, machine, note);
  process.stdout.write(`${table}\n`);
  for (const run of runs) if (run.scale) process.stdout.write(`\n${run.scale.plansMarkdown}\n`);

  const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}bff-bench.json`;
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        config,
        sizes,
        bareMeanRequestsPerSecond: bareMean,
        backends: runs.map((run) => ({ backend: run.backend, instances: run.instances, expectedPaid: run.expectedPaid, paid: run.paid, paidEvents: run.paidEvents, tenpayPaid: run.baselines?.tenpayPaid ?? null, scaleError: run.scaleError, scale: run.scale === null ? null : { seeding: run.scale.seeding, sweeper: run.scale.sweeper, plans: run.scale.plans } })),
        scenarios: rows.map(({ result, what, vsBare: ratio, comparisons, target, met, cpu }) => ({ ...result, what, vsBare: ratio, comparisons, target, met, cpuMsPerRequest: cpu })),
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${file}`);
} finally {
  await bare.stop();
  await durablePostgres?.stop();
}
