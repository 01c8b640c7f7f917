import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { orderPaymentResponseSchema } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import type { Database } from './schema';
import { loadConfig } from '../env';
import { startTestStack, type TestStack } from '../../test-support/test-stack';

const pragma = async (db: Kysely<Database>, name: 'synchronous' | 'journal_mode'): Promise<unknown> => {
  const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(db);
  return Object.values(rows[0] ?? {})[0];
};

describe('SQLite durability of an acknowledged payment', () => {
  const snapshotDir = mkdtempSync(join(tmpdir(), 'bff-durability-'));
  afterAll(() => rmSync(snapshotDir, { recursive: true, force: true }));
  let stack: TestStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('the BFF connection commits with synchronous=FULL in WAL mode by default', async () => {
    stack = await startTestStack();
    expect(await pragma(stack.bff.database.db, 'journal_mode')).toBe('wal');
    // 2 = FULL: every commit (the one before a SUCCESS ack included) is synced to disk.
    expect(await pragma(stack.bff.database.db, 'synchronous')).toBe(2);
  });

  it('SQLITE_SYNCHRONOUS=NORMAL is honoured; anything else is refused at load', async () => {
    stack = await startTestStack({ SQLITE_SYNCHRONOUS: 'NORMAL' });
    expect(await pragma(stack.bff.database.db, 'synchronous')).toBe(1);
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS must be FULL or NORMAL/);
  });

  it('both connections (the writer and the read-only reader) get the configured page cache', async () => {
    // A SELECT outside a transaction runs on the reader; inside one, on the writer.
    const cacheKib = async (db: Kysely<Database>) => Number(Object.values((await sql<Record<string, unknown>>`select * from pragma_cache_size()`.execute(db)).rows[0] ?? {})[0]);
    stack = await startTestStack();
    const db = stack.bff.database.db;
    expect(await cacheKib(db)).toBe(-64 * 1024);
    expect(await db.transaction().execute((trx) => cacheKib(trx))).toBe(-64 * 1024);
    await stack.restartBff({ SQLITE_CACHE_MIB: '8' });
    const restarted = stack.bff.database.db;
    expect([await cacheKib(restarted), await restarted.transaction().execute((trx) => cacheKib(trx))]).toEqual([-8192, -8192]);
    expect(() => loadConfig({ SQLITE_CACHE_MIB: '0' })).toThrow(/SQLITE_CACHE_MIB/);
  });

  it('a paid commit lost after its ack (power loss): the sweeper finds the payment with orderquery, once', async () => {
    stack = await startTestStack({ SESSION_TTL_SECONDS: String(24 * 3600) });
    const token = await stack.login();
    const response = await stack.api('/api/orders', { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
    const created = orderPaymentResponseSchema.parse(await response.json());
    // The database as it was on disk before the payment's commit: what a power loss under
    // synchronous=NORMAL can leave behind.
    const snapshot = join(snapshotDir, 'before-paid.sqlite');
    await sql`vacuum into ${snapshot}`.execute(stack.bff.database.db);

    const paid = await stack.emulator.control.cashier({ appId: devMerchant.appId, ...created.payment }, 'pay');
    expect(paid.errMsg).toBe('requestPayment:ok');
    await stack.emulator.control.waitForDeliveries((d) => d.outTradeNo === created.order.outTradeNo && d.acked, 10_000);
    const status = async () => (await stack?.bff.database.db.selectFrom('orders').select(['status', 'transaction_id']).where('id', '=', created.order.id).executeTakeFirstOrThrow());
    expect((await status())?.status).toBe('paid');

    // Restart on the pre-commit copy. WeChat Pay saw the ack and will not notify again.
    await stack.restartBff({ SQLITE_PATH: snapshot });
    expect((await status())?.status).toBe('pending');
    const deliveriesBefore = stack.emulator.control.deliveries().length;

    stack.emulator.control.advanceClock(2 * 60_000);
    const report = await stack.bff.sweeper.runOnce();
    expect(report.paid).toBe(1);
    const after = await status();
    expect(after?.status).toBe('paid');
    expect(after?.transaction_id).toBe(stack.emulator.control.order(created.order.outTradeNo)?.transactionId);
    const paidEvents = await stack.bff.database.db.selectFrom('order_events').select('kind').where('order_id', '=', created.order.id).where('kind', '=', 'paid').execute();
    expect(paidEvents).toHaveLength(1);
    expect(stack.emulator.control.deliveries()).toHaveLength(deliveriesBefore);
  });
});
