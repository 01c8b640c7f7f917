// Benchmark (not a test): reconciles a generated ALL bill of ROWS payments against a SQLite
// database holding the same orders, and prints rows/s and peak RSS, with the parser alone on the
// same bill as the baseline of the same run. `ROWS=100000 pnpm --filter @checkout/bff bench`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      body: 'bench', attach: '', serviceFee: 0, rate: '0.60%', totalFee: fen(i), rateNote: '',
    };
  }
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const dir = mkdtempSync(join(tmpdir(), 'reconcile-bench-'));
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

  // Baseline: the protocol parser alone over the same bill.
  let started = performance.now();
  let parsed = 0;
  for await (const row of readTradeBill(tradeBillChunks('ALL', billRows()))) if (toBillRow(row).kind === 'payment') parsed += 1;
  const parseSeconds = (performance.now() - started) / 1000;

  const unused = new Proxy({}, { get: () => () => { throw new Error('not used by a clean day'); } });
  const deps = {
    orders: unused, gateway: unused, ids: { eventId: () => 'run-1' }, policy: { mchId: devMerchant.mchId, appId: devMerchant.appId },
    clock: { now: () => new Date('2026-12-02T03:00:00.000Z') }, logger: { debug() {}, info() {}, warn() {}, error() {} },
    store: new KyselyReconciliationStore(database.db),
    bills: { fetchDay: () => Promise.resolve({ kind: 'bill' as const, rows: (async function* () { for await (const row of readTradeBill(tradeBillChunks('ALL', billRows()))) yield toBillRow(row); })() }) },
    workerId: 'bench', leaseMs: 3_600_000, retryMs: 60_000,
  } as unknown as ReconcileDeps;
  const rssBefore = process.resourceUsage().maxRSS;
  started = performance.now();
  const outcome = await reconcileDay(deps, billDate);
  const seconds = (performance.now() - started) / 1000;
  if (outcome.kind !== 'succeeded' || outcome.newDiscrepancies !== 0 || parsed !== rows) throw new Error(`unexpected outcome ${JSON.stringify(outcome)} (${parsed} parsed)`);
  const rate = rows / seconds;
  console.log(`reconcile ${rows} bill rows against ${rows} orders (SQLite): ${seconds.toFixed(1)} s = ${Math.round(rate)} rows/s (target ≥ 50000)`);
  console.log(`  parser alone on the same bill: ${Math.round(rows / parseSeconds)} rows/s; reconciliation costs ${(seconds / parseSeconds).toFixed(2)}× the parse`);
  console.log(`  peak RSS ${mib(process.resourceUsage().maxRSS)} (before the run, after setup: ${mib(rssBefore)}; target < 200 MiB)`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
