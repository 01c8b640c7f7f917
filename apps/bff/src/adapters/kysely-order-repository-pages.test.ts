import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import { createDatabase, type DatabaseHandle } from '../db/create-database';
import { migrateToLatest } from '../db/migrate';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';
import { KyselyOrderRepository } from './kysely-order-repository';

afterAll(releaseTestPostgres);

const minute = (n: number) => new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString();

// The sweeper's close query and the buyer's history pages read index ranges (see the migrations);
// these pin what they return: the same rows, in the same order, as the single queries they replaced.
describe.each(testBackends)('KyselyOrderRepository pages on %s', (backend) => {
  let database: FreshDatabase;
  let handle: DatabaseHandle;
  let orders: KyselyOrderRepository;

  const insert = (id: string, fields: { status: string; createdMinute: number; userId?: string; expiresMinute?: number; cancel?: 0 | 1; closedMinute?: number }) =>
    handle.db
      .insertInto('orders')
      .values({
        id, user_id: fields.userId ?? 'u1', out_trade_no: `T${id}`, status: fields.status, app_id: devMerchant.appId, mch_id: devMerchant.mchId, sign_type: 'MD5',
        total_fen: 100, subsidy_discount_fen: 0, payable_fen: 100, unifiedorder_params: '{}', cancel_requested: fields.cancel ?? 0, idempotency_key: null, request_fingerprint: null,
        created_at: minute(fields.createdMinute), expires_at: minute(fields.expiresMinute ?? fields.createdMinute + 30), updated_at: minute(fields.createdMinute),
        closed_at: fields.closedMinute === undefined ? null : minute(fields.closedMinute),
      })
      .execute();

  beforeAll(async () => {
    database = await freshDatabase(backend, 'order_pages');
    handle = createDatabase(database.config);
    await migrateToLatest(handle.db);
    orders = new KyselyOrderRepository(handle.db, { now: () => new Date(minute(500)) }, { eventId: () => 'e' });
    for (const id of ['u1', 'u2']) await handle.db.insertInto('users').values({ id, openid: `o-${id}`, session_generation: 0, created_at: minute(0), last_login_at: minute(0) }).execute();
    await insert('p-expired-old', { status: 'pending', createdMinute: 1 });
    await insert('f-open', { status: 'failed', createdMinute: 2 });
    await insert('f-closed', { status: 'failed', createdMinute: 3, closedMinute: 4 });
    await insert('p-cancel', { status: 'pending', createdMinute: 5, expiresMinute: 900, cancel: 1 });
    await insert('p-live', { status: 'pending', createdMinute: 6, expiresMinute: 900 });
    await insert('f-open-2', { status: 'failed', createdMinute: 7 });
    await insert('paid', { status: 'paid', createdMinute: 8 });
    await insert('p-expired-new', { status: 'pending', createdMinute: 9 });
    await insert('f-too-young', { status: 'failed', createdMinute: 400 });
    // One buyer's history with ties on created_at, another buyer's order in between.
    for (const [id, at] of [['h1', 100], ['h2', 101], ['h3', 101], ['h4', 101], ['h5', 102]] as const) await insert(id, { status: 'paid', createdMinute: at, userId: 'u2' });
  });
  afterAll(async () => {
    await handle.close();
    database.drop();
  });

  it('lists pending orders due (expired or cancel requested) and failed ones not yet closed, oldest first, within the limit', async () => {
    const due = await orders.listDueForClose(new Date(minute(300)), new Date(minute(200)), 10);
    expect(due.map((o) => o.id)).toEqual(['p-expired-old', 'f-open', 'p-cancel', 'f-open-2', 'p-expired-new']);
    const firstThree = await orders.listDueForClose(new Date(minute(300)), new Date(minute(200)), 3);
    expect(firstThree.map((o) => o.id)).toEqual(['p-expired-old', 'f-open', 'p-cancel']);
  });

  it('pages a buyer\'s history newest first across equal creation times, without skipping or repeating', async () => {
    const seen: string[] = [];
    let before: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await orders.listForUser('u2', { limit: 2, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((o) => o.id));
      const last = page.at(-1)!;
      before = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen).toEqual(['h5', 'h4', 'h3', 'h2', 'h1']);
  });
});
