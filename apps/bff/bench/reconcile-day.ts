// Benchmark (not a test): reconciles a generated ALL bill of ROWS payments, read from a file as it
// would arrive over HTTP, against a SQLite database holding the same orders; prints rows/s and
// peak RSS, with the parser alone on the same file as the baseline of the same run.
// `ROWS=100000 pnpm --filter @checkout/bff bench` (built to plain JavaScript first, see bench/build.ts).
import { execFileSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTradeBill, type TradeBillRowInput } from '@checkout/protocol/wxpay';
import { devMerchant, tradeBillChunks } from '@checkout/protocol/testing';
import { KyselyReconciliationStore } from '../src/adapters/kysely-reconciliation-store';
import { toBillRow } from '../src/adapters/wxpay-bill-source';
import { createDatabase } from '../src/db/create-database';
import { migrateToLatest } from '../src/db/migrate';
import { reconcileDay, type ReconcileDeps } from '../src/domain/reconciliation/reconcile-day';

const rows = Number(process.env.ROWS ?? 500_000);
const billDate = '20261201';
const paidAt = new Date('2026-12-01T04:00:00.000Z');
const outTradeNo = (i: number) => `BENCH${String(i).padStart(12, '0')}`;
const transactionId = (i: number) => `42000${String(i).padStart(23, '0')}`;
const fen = (i: number) => 100 + (i % 5000);

function* billRows(): Generator<TradeBillRowInput> {
  for (let i = 0; i < rows; i += 1) {
    yield {
      tradeTime: paidAt, appId: devMerchant.appId, mchId: devMerchant.mchId, subMchId: '0', deviceInfo: '', transactionId: transactionId(i), outTradeNo: outTradeNo(i),
      openid: 'o_bench', tradeType: 'JSAPI', tradeState: 'SUCCESS', bankType: 'OTHERS', feeType: 'CNY', settlementTotalFee: fen(i), couponFee: 0,
      body: '商品', attach: '', serviceFee: 0, rate: '0.60%', totalFee: fen(i), rateNote: '',
    };
  }
}

/** Writes the bill and fills the database with the day's paid orders: in a child process, so none of it counts in the measured peak. */
async function prepare(dir: string): Promise<void> {
  const bill = openSync(join(dir, 'bill.txt'), 'w');
  for (const chunk of tradeBillChunks('ALL', billRows())) writeSync(bill, chunk);
  closeSync(bill);
  const database = createDatabase({ kind: 'sqlite', path: join(dir, 'bench.sqlite'), synchronous: 'NORMAL' });
  try {
    await migrateToLatest(database.db);
    await database.db.insertInto('users').values({ id: 'u', openid: 'o_bench', session_generation: 0, created_at: paidAt.toISOString(), last_login_at: paidAt.toISOString() }).execute();
    const iso = paidAt.toISOString();
    for (let start = 0; start < rows; start += 1000) {
      await database.db.transaction().execute(async (trx) => {
        const batch = [];
        for (let i = start; i < Math.min(rows, start + 1000); i += 1) {
          batch.push({
            id: `o${String(i).padStart(12, '0')}`, user_id: 'u', out_trade_no: outTradeNo(i), status: 'paid', app_id: devMerchant.appId, mch_id: devMerchant.mchId, sign_type: 'MD5',
            total_fen: fen(i), subsidy_discount_fen: 0, payable_fen: fen(i), unifiedorder_params: '{}', cancel_requested: 0, idempotency_key: null, request_fingerprint: null,
            created_at: iso, expires_at: iso, updated_at: iso, transaction_id: transactionId(i), paid_at: iso,
          });
        }
        await trx.insertInto('orders').values(batch).execute();
      });
    }
  } finally {
    await database.close();
  }
}

if (process.argv[2] === '--prepare') {
  await prepare(process.argv[3] ?? '');
  process.exit(0);
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const dir = mkdtempSync(join(tmpdir(), 'reconcile-bench-'));
const billFile = () => createReadStream(join(dir, 'bill.txt'), { highWaterMark: 64 * 1024 });
try {
  execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--prepare', dir], { stdio: 'inherit' });
  const database = createDatabase({ kind: 'sqlite', path: join(dir, 'bench.sqlite'), synchronous: 'NORMAL' });
  try {
    const unused = new Proxy({}, { get: () => () => { throw new Error('not used by a clean day'); } });
    const deps = {
      orders: unused, gateway: unused, ids: { eventId: () => 'run-1' }, policy: { mchId: devMerchant.mchId, appId: devMerchant.appId },
      clock: { now: () => new Date('2026-12-02T03:00:00.000Z') }, logger: { debug() {}, info() {}, warn() {}, error() {} },
      store: new KyselyReconciliationStore(database.db),
      bills: { fetchDay: () => Promise.resolve({ kind: 'bill' as const, rows: (async function* () { for await (const row of readTradeBill(billFile())) yield toBillRow(row); })() }) },
      workerId: 'bench', leaseMs: 3_600_000, retryMs: 60_000,
    } as unknown as ReconcileDeps;
    const rssBefore = process.resourceUsage().maxRSS;
    const runStarted = performance.now();
    const outcome = await reconcileDay(deps, billDate);
    const seconds = (performance.now() - runStarted) / 1000;
    const peakRss = process.resourceUsage().maxRSS;

    // Baseline: the parser alone over the same file (after the run, so its garbage is not in the run's peak).
    const parseStarted = performance.now();
    let parsed = 0;
    for await (const row of readTradeBill(billFile())) if (toBillRow(row).kind === 'payment') parsed += 1;
    const parseSeconds = (performance.now() - parseStarted) / 1000;

    if (outcome.kind !== 'succeeded' || outcome.newDiscrepancies !== 0 || parsed !== rows) throw new Error(`unexpected outcome ${JSON.stringify(outcome)} (${parsed} parsed)`);
    console.log(`reconcile ${rows} bill rows against ${rows} orders (SQLite): ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s (target ≥ 50000)`);
    console.log(`  parser alone on the same bill: ${Math.round(rows / parseSeconds)} rows/s; reconciliation costs ${(seconds / parseSeconds).toFixed(2)}× the parse`);
    console.log(`  peak RSS ${mib(peakRss)} (${mib(rssBefore)} before the run; the bill and the database were prepared by a child process; target < 200 MiB)`);
  } finally {
    await database.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
