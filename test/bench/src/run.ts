// `pnpm bench`: the BFF on loopback under autocannon (fixed duration and connections): the notify
// path and the checkout path, each against a bare Koa route measured in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import { expectOk, ManagedProcess, mapConcurrent, startStack, type ContractClient } from '@checkout/test-harness';
import { benchConfig } from './bench-config';
import { runLoad, type LoadResult, type LoadSpec } from './load';
import { machineInfo } from './machine';
import { processCpuMs } from './process-cpu';
import { markdownTable, type ScenarioRow } from './report';

const successAck = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
const config = benchConfig();
const machine = machineInfo();
const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

interface Measured {
  result: LoadResult;
  cpu: ScenarioRow['cpu'];
}

/** CPU ms per request a process used during the run (null without /proc). */
function cpuPerRequest(before: number | null, after: number | null, requests: number): number | null {
  return before === null || after === null || requests === 0 ? null : (after - before) / requests;
}

async function measure(spec: Omit<LoadSpec, 'connections' | 'durationSeconds'>, pids: { server: number | undefined; emulator: number | undefined }): Promise<Measured> {
  if (config.warmupSeconds > 0) await runLoad({ ...spec, connections: config.connections, durationSeconds: config.warmupSeconds });
  const serverBefore = processCpuMs(pids.server);
  const emulatorBefore = processCpuMs(pids.emulator);
  const result = await runLoad({ ...spec, connections: config.connections, durationSeconds: config.durationSeconds });
  const cpu = {
    serverMs: cpuPerRequest(serverBefore, processCpuMs(pids.server), result.total),
    emulatorMs: cpuPerRequest(emulatorBefore, processCpuMs(pids.emulator), result.total),
  };
  const ms = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  log(
    `${spec.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${String(result.latencyP50Ms)} ms, p99 ${String(result.latencyP99Ms)} ms, non-2xx ${String(result.non2xx)}, mismatches ${String(result.mismatches)}, errors ${String(result.errors)}, CPU ms/req server ${ms(cpu.serverMs)} emulator ${ms(cpu.emulatorMs)}`,
  );
  return { result, cpu };
}

const bare = new ManagedProcess({
  name: 'bare-koa',
  entry: fileURLToPath(new URL('./bare-koa-server.ts', import.meta.url)),
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: { PORT: '0', NODE_ENV: 'production' },
});
bare.start();
log('starting the emulator and the BFF (SQLite in a temp dir)');
const stack = await startStack({
  name: 'bench',
  // The sweeper would orderquery the bench's pending orders in the background: noise, not the path measured.
  bffEnv: { LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000000', SWEEPER_ENABLED: '0', NODE_ENV: 'production' },
  bffClockShifter: false,
});

try {
  const bareLine = await bare.waitForLine((line) => line.json?.msg === 'listening', { timeoutMs: 30_000, description: 'bare Koa listening' });
  const bareUrl = String(bareLine.json?.url);

  log(`preparing ${String(config.notifyOrders)} pending orders and their signed notifications`);
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
  const xml = { 'content-type': 'text/xml' };

  const barePids = { server: bare.pid, emulator: undefined };
  const bffPids = { server: stack.bffProcess.pid, emulator: stack.emulatorProcess.pid };
  const bareBefore = await measure({ name: 'bare Koa route (before)', url: bareUrl, method: 'POST', path: '/bare', headers: xml, bodies: notifications, expectBody: successAck }, barePids);
  const notify = await measure({ name: 'notify', url: stack.bffUrl, method: 'POST', path: '/wxpay/notify', headers: xml, bodies: notifications, expectBody: successAck }, bffPids);
  const checkout = await measure(
    {
      name: 'checkout',
      url: stack.bffUrl,
      method: 'POST',
      path: '/api/orders',
      headers: { 'content-type': 'application/json' },
      bodies: [JSON.stringify({ items: [{ productId: 'kettle', quantity: 1 }] })],
      cycleHeader: { name: 'authorization', values: buyers.map((b) => `Bearer ${b.token ?? ''}`) },
    },
    bffPids,
  );
  const bareAfter = await measure({ name: 'bare Koa route (after)', url: bareUrl, method: 'POST', path: '/bare', headers: xml, bodies: notifications, expectBody: successAck }, barePids);

  const bareMean = (bareBefore.result.requestsPerSecond + bareAfter.result.requestsPerSecond) / 2;
  const paid = stack.database().count(`select count(*) from orders where status = 'paid'`);
  const notifyRatio = notify.result.requestsPerSecond / bareMean;
  const checkoutRatio = checkout.result.requestsPerSecond / bareMean;
  const rows: ScenarioRow[] = [
    { ...bareBefore, what: 'POST, read body, constant XML', ratio: null, target: '', met: null },
    {
      ...notify,
      what: `POST /wxpay/notify: parse, verify HMAC-SHA256, load order, check amount/merchant, transaction, exact ack (${String(config.notifyOrders)} orders cycled: first copy pays, later copies are duplicates)`,
      ratio: notifyRatio,
      target: `≥ 35 %, p99 < 25 ms at 64 conn.`,
      met: notifyRatio >= 0.35 && notify.result.latencyP99Ms < 25 && notify.result.non2xx + notify.result.mismatches === 0,
    },
    {
      ...checkout,
      what: 'POST /api/orders: session token, price cart, persist order, unifiedorder to the emulator (HTTP + signature), persist prepay, paySign',
      ratio: checkoutRatio,
      target: '≥ 25 %',
      met: checkoutRatio >= 0.25 && checkout.result.non2xx === 0,
    },
    { ...bareAfter, what: 'same as before, after the BFF runs', ratio: null, target: '', met: null },
  ];
  const note = `autocannon ${String(config.connections)} connections, ${String(config.durationSeconds)} s per scenario after ${String(config.warmupSeconds)} s warm-up, load generator in the bench process; BFF with LOG_LEVEL=warn and the sweeper off, SQLite (WAL) in a temp dir; emulator on the same machine (its CPU per checkout is in the last column: it competes with the BFF for the same cores). Ratios use the mean of the two bare runs. ${String(paid)} of ${String(config.notifyOrders)} notify orders paid.`;
  const table = markdownTable(rows, machine, note);
  process.stdout.write(`${table}\n`);

  const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}bff-bench.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, config, bareMeanRequestsPerSecond: bareMean, scenarios: rows.map(({ result, what, ratio, target, met, cpu }) => ({ ...result, what, ratio, target, met, cpuMsPerRequest: cpu })) }, null, 2)}\n`,
  );
  log(`wrote ${file}`);
} finally {
  await stack.close();
  await bare.stop(5_000);
}
