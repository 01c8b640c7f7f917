// `pnpm bench`: the BFF on loopback under autocannon (fixed duration and connections): the notify
// path and the checkout path on each backend of BENCH_BACKENDS (SQLite, PostgreSQL, two BFF
// processes on one PostgreSQL), all against a bare Koa route measured in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import { expectOk, ManagedProcess, mapConcurrent, type ContractClient } from '@checkout/test-harness';
import { benchConfig, type BenchBackend } from './bench-config';
import { startBenchStack } from './bench-stack';
import { runLoad, type LoadResult, type LoadSpec } from './load';
import { machineInfo } from './machine';
import { postgresCpuMs } from './postgres-cpu';
import { processCpuMs } from './process-cpu';
import { markdownTable, type ScenarioRow } from './report';
import { apiRoutes } from '@checkout/protocol/contract';

const successAck = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
const config = benchConfig();
const machine = machineInfo();
const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

const backendLabel: Record<BenchBackend, string> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  'postgres-2x': 'PostgreSQL, 2 BFFs',
};

interface Measured {
  result: LoadResult;
  cpu: ScenarioRow['cpu'];
}

interface Pids {
  servers: readonly (number | undefined)[];
  emulator: number | undefined;
  postgres: number | undefined;
}

/** CPU ms per request a group of processes used during the run (null without /proc). */
function cpuPerRequest(before: (number | null)[], after: (number | null)[], requests: number): number | null {
  if (requests === 0 || before.length === 0 || [...before, ...after].some((ms) => ms === null)) return null;
  const sum = (list: (number | null)[]) => list.reduce<number>((total, ms) => total + (ms ?? 0), 0);
  return (sum(after) - sum(before)) / requests;
}

const emulatorCpu = (pids: Pids) => (pids.emulator === undefined ? [] : [processCpuMs(pids.emulator)]);
const postgresCpu = (pids: Pids) => (pids.postgres === undefined ? [] : [postgresCpuMs(pids.postgres)]);

async function measure(spec: Omit<LoadSpec, 'connections' | 'durationSeconds'>, pids: Pids): Promise<Measured> {
  if (config.warmupSeconds > 0) await runLoad({ ...spec, connections: config.connections, durationSeconds: config.warmupSeconds });
  const serversBefore = pids.servers.map(processCpuMs);
  const emulatorBefore = emulatorCpu(pids);
  const postgresBefore = postgresCpu(pids);
  const result = await runLoad({ ...spec, connections: config.connections, durationSeconds: config.durationSeconds });
  const serversAfter = pids.servers.map(processCpuMs);
  const cpu = {
    serverMs: cpuPerRequest(serversBefore, serversAfter, result.total),
    // Each BFF process's CPU over all requests: shows how the split load landed.
    perServerMs: serversBefore.map((before, i) => cpuPerRequest([before], [serversAfter[i] ?? null], result.total)),
    emulatorMs: cpuPerRequest(emulatorBefore, emulatorCpu(pids), result.total),
    databaseMs: cpuPerRequest(postgresBefore, postgresCpu(pids), result.total),
  };
  const ms = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  log(
    `${spec.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${String(result.latencyP50Ms)} ms, p99 ${String(result.latencyP99Ms)} ms, non-2xx ${String(result.non2xx)}, mismatches ${String(result.mismatches)}, errors ${String(result.errors)}, CPU ms/req server ${ms(cpu.serverMs)}${cpu.perServerMs.length > 1 ? ` (${cpu.perServerMs.map(ms).join(' + ')})` : ''} emulator ${ms(cpu.emulatorMs)} postgres ${ms(cpu.databaseMs)}`,
  );
  return { result, cpu };
}

interface BackendRun {
  backend: BenchBackend;
  notify: Measured;
  checkout: Measured;
  paid: number;
  instances: number;
}

const xml = { 'content-type': 'text/xml' };

/** One backend: a fresh stack, its own pending orders, notify then checkout, then everything stopped. */
async function runBackend(backend: BenchBackend): Promise<BackendRun> {
  log(`${backend}: starting the emulator and ${backend === 'postgres-2x' ? 'two BFF processes' : 'the BFF'} (${backendLabel[backend]})`);
  const bench = await startBenchStack(backend);
  try {
    const { stack } = bench;
    log(`${backend}: preparing ${String(config.notifyOrders)} pending orders and their signed notifications`);
    const buyers: ContractClient[] = [];
    for (let i = 0; i < 16; i += 1) buyers.push(await stack.login());
    const orders = await mapConcurrent(Array.from({ length: config.notifyOrders }, (_, i) => i), 8, async (i) =>
      expectOk(await (buyers[i % buyers.length] as ContractClient).createOrder({ items: [{ productId: 'kettle', quantity: 1 }] })),
    );
    const notifications = orders.map((created, i) =>
      buildSignedNotification(
        {
          out_trade_no: created.order.outTradeNo,
          total_fee: String(created.order.payableFen),
          transaction_id: `4200000000${String(Date.now()).slice(-8)}${String(i).padStart(10, '0')}`,
          openid: 'oBench0000000000000000000001',
        },
        { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' },
      ),
    );
    const pids: Pids = { servers: bench.bffPids, emulator: bench.emulatorPid, postgres: bench.postgresPid };
    const label = backendLabel[backend];
    const notify = await measure({ name: `notify · ${label}`, urls: bench.bffUrls, method: 'POST', path: '/wxpay/notify', headers: xml, bodies: notifications, expectBody: successAck }, pids);
    const checkout = await measure(
      {
        name: `checkout · ${label}`,
        urls: bench.bffUrls,
        method: apiRoutes.createOrder.method,
        path: apiRoutes.createOrder.path,
        headers: { 'content-type': 'application/json' },
        bodies: [JSON.stringify({ items: [{ productId: 'kettle', quantity: 1 }] })],
        cycleHeader: { name: 'authorization', values: buyers.map((b) => `Bearer ${b.token ?? ''}`) },
      },
      pids,
    );
    const paid = stack.database().count(`select count(*) from orders where status = 'paid'`);
    return { backend, notify, checkout, paid, instances: bench.bffUrls.length };
  } finally {
    await bench.close();
  }
}

const bare = new ManagedProcess({
  name: 'bare-koa',
  entry: fileURLToPath(new URL('./bare-koa-server.ts', import.meta.url)),
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: { PORT: '0', NODE_ENV: 'production' },
});
bare.start();

try {
  const bareLine = await bare.waitForLine((line) => line.json?.msg === 'listening', { timeoutMs: 30_000, description: 'bare Koa listening' });
  const bareUrl = String(bareLine.json?.url);
  // The bare route gets the same bodies as notify; their content does not matter to it.
  const bareBodies = Array.from({ length: 16 }, (_, i) => buildSignedNotification({ out_trade_no: `BARE${String(i)}`, total_fee: '1' }, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' }));
  const barePids: Pids = { servers: [bare.pid], emulator: undefined, postgres: undefined };
  const bareSpec = { urls: [bareUrl], method: 'POST' as const, path: '/bare', headers: xml, bodies: bareBodies, expectBody: successAck };

  const bareBefore = await measure({ ...bareSpec, name: 'bare Koa route (before)' }, barePids);
  const runs: BackendRun[] = [];
  for (const backend of config.backends) runs.push(await runBackend(backend));
  const bareAfter = await measure({ ...bareSpec, name: 'bare Koa route (after)' }, barePids);

  const bareMean = (bareBefore.result.requestsPerSecond + bareAfter.result.requestsPerSecond) / 2;
  const rows: ScenarioRow[] = [{ ...bareBefore, what: 'POST, read body, constant XML', ratio: null, target: '', met: null }];
  for (const run of runs) {
    const where = run.instances > 1 ? `${backendLabel[run.backend]} (${String(config.connections)} connections split evenly over ${String(run.instances)} processes)` : backendLabel[run.backend];
    const notifyRatio = run.notify.result.requestsPerSecond / bareMean;
    const checkoutRatio = run.checkout.result.requestsPerSecond / bareMean;
    rows.push(
      {
        ...run.notify,
        what: `POST /wxpay/notify on ${where}: parse, verify HMAC-SHA256, load order, check amount/merchant, transaction, exact ack (${String(config.notifyOrders)} orders cycled: first copy pays, later copies are duplicates; ${String(run.paid)} paid)`,
        ratio: notifyRatio,
        target: `≥ 35 %, p99 < 25 ms at 64 conn.`,
        met: notifyRatio >= 0.35 && run.notify.result.latencyP99Ms < 25 && run.notify.result.non2xx + run.notify.result.mismatches === 0,
      },
      {
        ...run.checkout,
        what: `POST /api/orders on ${where}: session token, price cart, persist order, unifiedorder to the emulator (HTTP + signature), persist prepay, paySign`,
        ratio: checkoutRatio,
        target: '≥ 25 %',
        met: checkoutRatio >= 0.25 && run.checkout.result.non2xx === 0,
      },
    );
  }
  rows.push({ ...bareAfter, what: 'same as before, after the BFF runs', ratio: null, target: '', met: null });

  const note = `autocannon ${String(config.connections)} connections, ${String(config.durationSeconds)} s per scenario after ${String(config.warmupSeconds)} s warm-up, load generator in the bench process; BFF with LOG_LEVEL=warn and the sweeper off, SQLite (WAL, synchronous=FULL) in a temp dir or a private PostgreSQL (fsync off, DATABASE_POOL_SIZE 10 per process); two BFF processes get the connections split evenly (autocannon with two URLs), their CPU is summed. The emulator and PostgreSQL run on the same machine and compete with the BFF for the same cores (their CPU per request is in the last columns). Ratios use the mean of the two bare runs.`;
  const table = markdownTable(rows, machine, note);
  process.stdout.write(`${table}\n`);

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
        bareMeanRequestsPerSecond: bareMean,
        backends: runs.map((run) => ({ backend: run.backend, instances: run.instances, notifyOrdersPaid: run.paid })),
        scenarios: rows.map(({ result, what, ratio, target, met, cpu }) => ({ ...result, what, ratio, target, met, cpuMsPerRequest: cpu })),
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${file}`);
} finally {
  await bare.stop(5_000);
}
