import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk } from './contract-client';
import { startStack, type Stack } from './stack';
import { payAtCashierAndWait } from './wait-for-order-status';

// startStack on PostgreSQL: the BFF gets a fresh database, the integrity view reads it, a crash
// restart finds the same data.
describe('startStack with database: postgres', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ name: 'harness-pg', database: 'postgres' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('runs the BFF on its own PostgreSQL database and reads it back', async () => {
    expect(stack.databaseKind).toBe('postgres');
    expect(stack.databaseUrl).toMatch(/^postgres:\/\//);
    const client = await stack.login();
    const [first] = expectOk(await client.listProducts()).products;
    const created = expectOk(await client.createOrder({ items: [{ productId: first?.id ?? '', quantity: 1 }] }));
    await payAtCashierAndWait(stack, client, created);

    const db = stack.database();
    expect(db.kind).toBe('postgres');
    const row = db.order(created.order.outTradeNo);
    expect(row).toMatchObject({ status: 'paid', payable_fen: created.order.payableFen, cancel_requested: 0 });
    expect(row?.transaction_id).toBe((await stack.emulator.order(created.order.outTradeNo))?.transactionId);
    expect(db.eventKinds(row?.id ?? '').filter((kind) => kind === 'paid')).toHaveLength(1);
    expect(db.count(`select count(*) from orders where status = ?`, 'paid')).toBe(1);
    // A bound value is quoted by psql, never spliced into the SQL.
    expect(db.order("x' or '1'='1")).toBeUndefined();
    const report = db.integrity();
    expect(report).toMatchObject({ orders: 1, paidTransitions: 1, doublyPaid: [], problems: [] });

    await stack.restartBff({ crash: true });
    expect(expectOk(await client.getOrder(created.order.id)).order.status).toBe('paid');
    expect(stack.database().integrity().orders).toBe(1);
  });
});
