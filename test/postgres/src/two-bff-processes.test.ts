import type { SubsidyBuyer } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { buildNotifyAck } from '@checkout/protocol/wxpay';
import { ContractClient, provideTestDatabase, type TestDatabase } from '@checkout/test-harness';
import { createEmulator, type Emulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBffCluster, type BffCluster, type BffInstance } from './testing/bff-cluster';
import { openOrder, type OpenOrder } from './testing/open-order';
import { readOrderLedger } from './testing/order-ledger';
import { postNotification } from './testing/post-notification';
import { signedPaidNotification } from './testing/signed-paid-notification';
import { newTransactionId } from './testing/transaction-ids';
import { waitUntil } from '@checkout/postgres-server/testing/wait-until';

const adminToken = 'admin-token-for-the-postgres-suite-0123456789';

const subsidyBuyer: SubsidyBuyer = {
  realName: '王晓明',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '11010519491231002X',
  phoneNumber: '13800138000',
  receiveRegionCode: '110105',
  qualificationRegionCode: 110100,
};


describe('two BFF processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let emulator: Emulator;
  let running: RunningEmulator;
  let cluster: BffCluster;
  let a: BffInstance;
  let b: BffInstance;

  beforeAll(async () => {
    database = await provideTestDatabase('notify_storm');
    emulator = createEmulator({ notifyTimeScale: 0.001 });
    running = await emulator.listen(0, '127.0.0.1');
    // Both start against the same empty database at once: migrations and seeding race too.
    cluster = await startBffCluster({
      count: 2,
      databaseUrl: database.url,
      wxpayBaseUrl: running.url,
      // GET /api/orders/:id confirms any pending order with orderquery, every time.
      env: { ORDER_QUERY_AFTER_SECONDS: '0', ORDER_REQUERY_INTERVAL_SECONDS: '0', OUTBOX_POLL_INTERVAL_MS: '100', ADMIN_TOKEN: adminToken },
    });
    [a, b] = cluster.instances as [BffInstance, BffInstance];
  });

  afterAll(async () => {
    await cluster?.stop();
    await running?.close();
    await database?.release();
  });

  it('both serve the seeded catalog from the shared database', async () => {
    const [fromA, fromB] = await Promise.all([a.client.listProducts(), b.client.listProducts()]);
    expect(fromA.ok && fromB.ok).toBe(true);
    if (!fromA.ok || !fromB.ok) return;
    expect(fromA.body).toEqual(fromB.body);
    expect(fromA.body.products.find((product) => product.id === 'test-1fen')?.priceFen).toBe(1);
  });

  it('a new buyer logging in on both instances at once becomes one user', async () => {
    const openid = `oMulti_${newTransactionId().slice(-12)}`;
    const sessions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).client.createSession(emulator.control.issueLoginCode({ openid }))),
    );
    expect(sessions.filter((session) => !session.ok)).toEqual([]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from users where openid = $1', [openid]);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
    // Every token is the same buyer: an order made with one is visible with another, on the other instance.
    const tokens = sessions.map((session) => (session.ok ? session.body.token : ''));
    const made = await a.client.withToken(tokens[0] ?? '').createOrder({ items: [{ productId: 'kettle', quantity: 1 }] });
    if (!made.ok) throw new Error(made.error.code);
    const seen = await b.client.withToken(tokens[9] ?? '').getOrder(made.body.order.id);
    expect(seen.ok).toBe(true);
  });

  it('a storm of duplicate notifications split across both instances pays every order exactly once', async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    const copies = 24;
    const transactionIds = new Map(orders.map((order) => [order.id, newTransactionId()]));
    const deliveries = orders.flatMap((order, i) => {
      const body = signedPaidNotification(order, transactionIds.get(order.id) ?? '');
      return Array.from({ length: copies }, (_, copy) => ((i + copy) % 2 === 0 ? a : b)).map((target) => postNotification(target.url, body));
    });
    const answers = await Promise.all(deliveries);

    expect(answers.filter((answer) => answer.status !== 200 || answer.text !== buildNotifyAck())).toEqual([]);
    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) {
      const { notifications, ...entry } = ledger.get(order.id) ?? { notifications: 0 };
      expect(entry, order.outTradeNo).toEqual({ status: 'paid', transactionId: transactionIds.get(order.id), paidEvents: 1, closedEvents: 0, appliedNotifications: 1, anomalies: [] });
      // Identical copies are one notification however they raced: the rest only bump its repeat count.
      expect(notifications).toBe(1);
    }
    // Whichever instance applied it, both now report the order paid to its owner.
    for (const order of orders) {
      const other = order.createdOn === a ? b : a;
      const seen = await other.client.withToken(order.token).getOrder(order.id);
      expect(seen.ok && seen.body.order.status).toBe('paid');
    }
  });

  it('two different transactions racing for one order on the two instances: one wins, the order is paid once', async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    const contenders = new Map(orders.map((order) => [order.id, [newTransactionId(), newTransactionId()] as const]));
    const answers = await Promise.all(
      orders.flatMap((order) => {
        const [first, second] = contenders.get(order.id) ?? ['', ''];
        const toA = signedPaidNotification(order, first);
        const toB = signedPaidNotification(order, second);
        return Array.from({ length: 5 }, () => [postNotification(a.url, toA), postNotification(b.url, toB)]).flat();
      }),
    );
    // Verified notifications are acknowledged even when they cannot be applied (manual review).
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) {
      const entry = ledger.get(order.id);
      expect(entry?.status).toBe('paid');
      expect(contenders.get(order.id)).toContain(entry?.transactionId);
      expect(entry?.paidEvents).toBe(1);
      expect(entry?.appliedNotifications).toBe(1);
      // Each distinct notification is stored once (copies only count): the winner's and the
      // loser's, which is also recorded once as a possible double payment.
      expect(entry?.notifications).toBe(2);
      expect(entry?.anomalies).toEqual(['double_payment']);
    }
  });

  it("payments through the emulator's cashier, its duplicate pushes plus copies replayed to the other instance, pay once", async () => {
    emulator.control.setNotifyOptions({ duplicates: 4 });
    const orders = await Promise.all(Array.from({ length: 6 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    for (const order of orders) {
      const paid = await emulator.control.cashier({ appId: devMerchant.appId, ...order.payment }, 'pay');
      expect(paid.errMsg).toBe('requestPayment:ok');
    }
    const outTradeNos = new Set(orders.map((order) => order.outTradeNo));
    const pushed = await emulator.control.waitForDeliveries((delivery) => outTradeNos.has(delivery.outTradeNo) && delivery.acked, 60_000, orders.length * 4);
    // WeChat Pay's exact bytes, now also delivered to the instance that did not create the order.
    const replays = await Promise.all(
      pushed.map((delivery) => {
        const order = orders.find((candidate) => candidate.outTradeNo === delivery.outTradeNo);
        return postNotification((order?.createdOn === a ? b : a).url, delivery.requestBody);
      }),
    );
    expect(replays.every((answer) => answer.status === 200 && answer.text === buildNotifyAck())).toBe(true);

    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) {
      const entry = ledger.get(order.id);
      expect(entry?.status).toBe('paid');
      expect(entry?.transactionId).toBe(emulator.control.order(order.outTradeNo)?.transactionId);
      expect(entry?.paidEvents).toBe(1);
      expect(entry?.appliedNotifications).toBe(1);
    }
  });

  it('a double tap split across both instances with one Idempotency-Key makes one order', async () => {
    const session = await a.client.createSession(emulator.control.issueLoginCode());
    if (!session.ok) throw new Error(session.error.code);
    const key = `tap-${newTransactionId()}`;
    const body = { items: [{ productId: 'filter-pack', quantity: 2 }] };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).client.withToken(session.body.token).createOrder(body, { idempotencyKey: key })),
    );
    const orderIds = new Set(answers.map((answer) => (answer.ok ? answer.body.order.id : `error:${answer.error.code}`)));
    expect([...orderIds]).toHaveLength(1);
    const [orderId] = [...orderIds];
    const outTradeNos = new Set(answers.map((answer) => (answer.ok ? answer.body.order.outTradeNo : '')));
    expect(outTradeNos.size).toBe(1);
    const [outTradeNo] = [...outTradeNos];
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; prepay_id: string }>('select id, prepay_id from orders where idempotency_key = $1', [key]);
      expect(rows.map((row) => row.id)).toEqual([orderId]);
      // Every answer carries a prepay_id WeChat Pay knows for this order; the stored one is among them.
      const packages = new Set(answers.map((answer) => (answer.ok ? answer.body.payment.package : '')));
      expect(packages).toContain(`prepay_id=${rows[0]?.prepay_id ?? ''}`);
      expect(emulator.control.orders().filter((order) => order.outTradeNo === outTradeNo)).toHaveLength(1);
    } finally {
      await client.end();
    }
  });

  it('buyers polling both instances while the notification races in: orderquery and notify settle each order once', async () => {
    const orders = await Promise.all(Array.from({ length: 8 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    const polls = await Promise.all(
      orders.flatMap((order) => {
        emulator.control.payOrder(order.outTradeNo); // pays now and pushes the notification to the creator
        return Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).client.withToken(order.token).getOrder(order.id));
      }),
    );
    expect(polls.map((poll) => (poll.ok ? poll.body.order.status : poll.error.code))).toEqual(polls.map(() => 'paid'));
    const outTradeNos = new Set(orders.map((order) => order.outTradeNo));
    await emulator.control.waitForDeliveries((delivery) => outTradeNos.has(delivery.outTradeNo) && delivery.acked, 60_000, orders.length);

    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) {
      const entry = ledger.get(order.id);
      expect(entry?.status).toBe('paid');
      expect(entry?.transactionId).toBe(emulator.control.order(order.outTradeNo)?.transactionId);
      expect(entry?.paidEvents, order.outTradeNo).toBe(1);
      expect(entry?.appliedNotifications).toBeLessThanOrEqual(1);
    }
  });

  it("a buyer's history pages the same through either instance, with orders made on both", async () => {
    const session = await a.client.createSession(emulator.control.issueLoginCode());
    if (!session.ok) throw new Error(session.error.code);
    const buyer = [a.client.withToken(session.body.token), b.client.withToken(session.body.token)] as const;
    // Created at once on both: equal timestamps are likely, the id breaks ties.
    const created = await Promise.all(Array.from({ length: 9 }, (_, i) => buyer[i % 2 === 0 ? 0 : 1].createOrder({ items: [{ productId: 'kettle', quantity: 1 + i }] })));
    const createdIds = created.map((answer) => (answer.ok ? answer.body.order.id : 'failed'));
    expect(createdIds).not.toContain('failed');

    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const answer = await buyer[page % 2 === 0 ? 0 : 1].listOrders({ limit: 2, ...(cursor ? { cursor } : {}) });
      if (!answer.ok) throw new Error(`page ${page} failed`);
      seen.push(...answer.body.orders.map((order) => ({ id: order.id, createdAt: order.createdAt })));
      if (answer.body.nextCursor === null) break;
      cursor = answer.body.nextCursor;
    }
    expect(seen.map((order) => order.id).sort()).toEqual([...createdIds].sort());
    const newestFirst = [...seen].sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? 1 : -1) : x.createdAt < y.createdAt ? 1 : -1));
    expect(seen).toEqual(newestFirst);
  });

  it('subsidy orders paid through a storm on both instances, and a goods return sent to both, are each synced to the government once', async () => {
    emulator.control.setNotifyOptions({ duplicates: 2 });
    const subsidyCart = { items: [{ productId: 'fridge-510', quantity: 1 }], subsidy: subsidyBuyer };
    const orders = await Promise.all(Array.from({ length: 6 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator, subsidyCart)));
    for (const order of orders) emulator.control.payOrder(order.outTradeNo);
    const outTradeNos = new Set(orders.map((order) => order.outTradeNo));
    const pushes = await emulator.control.waitForDeliveries((delivery) => outTradeNos.has(delivery.outTradeNo), 60_000, orders.length);
    const bodies = [...new Map(pushes.map((delivery) => [delivery.outTradeNo, delivery.requestBody])).values()];
    // Each paid notification 10 more times, split across both instances, all at once.
    const answers = await Promise.all(bodies.flatMap((body) => Array.from({ length: 10 }, (_, i) => postNotification((i % 2 === 0 ? a : b).url, body))));
    expect(answers.every((answer) => answer.status === 200 && answer.text === buildNotifyAck())).toBe(true);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const jobStates = async () =>
        (
          await client.query<{ dedupe_key: string; status: string }>(
            `select dedupe_key, status from outbox_jobs where split_part(dedupe_key, ':', 1) = any($1) order by dedupe_key`,
            [[...outTradeNos]],
          )
        ).rows;
      await waitUntil(async () => {
        const jobs = await jobStates();
        return jobs.length === orders.length && jobs.every((job) => job.status === 'delivered');
      }, 'every gov sync job delivered');
      // One job per paid order (the paid transition enqueues it once, whichever instance applied it).
      expect((await jobStates()).map((job) => job.dedupe_key)).toEqual([...outTradeNos].sort().map((outTradeNo) => `${outTradeNo}:CATE_STATE_REDEEM`));
    } finally {
      await client.end();
    }
    for (const order of orders) {
      const syncs = emulator.control.govSyncs().filter((sync) => sync.body.out_trade_no === order.outTradeNo);
      expect(syncs.map((sync) => [sync.body.cate_state, sync.orderPaid]), order.outTradeNo).toEqual([['CATE_STATE_REDEEM', true]]);
    }
    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) expect(ledger.get(order.id)).toMatchObject({ status: 'paid', paidEvents: 1, appliedNotifications: 1 });
    // The goods of one order come back; the merchant's back office submits the return to both
    // instances at once, several times: one REFUND sync is enqueued and delivered.
    const [returned] = orders as [OpenOrder];
    const goodsReturns = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${(i % 2 === 0 ? a : b).url}/admin/orders/${returned.id}/goods-return`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ refundId: `R${returned.outTradeNo}` }),
        }).then(async (response) => [response.status, ((await response.json()) as { outcome?: string }).outcome] as const),
      ),
    );
    expect(goodsReturns.filter(([status]) => status === 202)).toEqual([[202, 'enqueued']]);
    expect(goodsReturns.filter(([status]) => status !== 202)).toEqual(Array.from({ length: 7 }, () => [200, 'duplicate']));
    const refundSyncs = () =>
      emulator.control.govSyncs().filter((sync) => sync.body.out_trade_no === returned.outTradeNo && sync.body.cate_state === 'CATE_STATE_REFUND');
    await waitUntil(() => refundSyncs().length > 0, 'the REFUND sync');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await waitUntil(
        async () =>
          (await admin.query<{ status: string }>('select status from outbox_jobs where dedupe_key = $1', [`${returned.outTradeNo}:CATE_STATE_REFUND`])).rows[0]
            ?.status === 'delivered',
        'the REFUND job recorded as delivered',
      );
    } finally {
      await admin.end();
    }
    expect(refundSyncs().map((sync) => sync.body.refund_id)).toEqual([`R${returned.outTradeNo}`]);

    // The buyer's personal data went to WeChat Pay encrypted; no instance logged it, nor the admin token.
    const pii = [subsidyBuyer.realName, subsidyBuyer.idCardNumber, subsidyBuyer.phoneNumber, adminToken];
    expect([...a.process.lines, ...b.process.lines].filter((line) => pii.some((value) => line.text.includes(value)))).toEqual([]);
  });

  it('one instance killed with SIGKILL mid-storm: the survivor pays every order once and the restarted instance rejoins', async () => {
    const orders = await Promise.all(Array.from({ length: 8 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    const bodies = new Map(orders.map((order) => [order.id, signedPaidNotification(order, newTransactionId())]));
    const lost = { status: 0, text: 'connection lost' };
    // A storm at A, and A dies in the middle of it (transactions in flight are rolled back).
    const atA = orders.flatMap((order) =>
      Array.from({ length: 10 }, () => postNotification(a.url, bodies.get(order.id) ?? '').catch(() => lost)),
    );
    const [, ...answersFromA] = await Promise.all([a.process.kill9(), ...atA]);
    expect(answersFromA.every((answer) => answer === lost || (answer.status === 200 && answer.text === buildNotifyAck()))).toBe(true);
    // WeChat Pay retries whatever was not acknowledged; the balancer now sends everything to B.
    const atB = await Promise.all(orders.map((order) => postNotification(b.url, bodies.get(order.id) ?? '')));
    expect(atB.every((answer) => answer.status === 200 && answer.text === buildNotifyAck())).toBe(true);
    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) expect(ledger.get(order.id), order.outTradeNo).toMatchObject({ status: 'paid', paidEvents: 1, appliedNotifications: 1 });

    // A comes back (migrations are a no-op now) and serves orders that B settled.
    const fromSeq = a.process.nextSeq;
    a.process.start();
    const listening = await a.process.waitForLine((line) => line.json?.msg === 'listening', { timeoutMs: 60_000, description: 'the restarted listening line', fromSeq });
    const url = String(listening.json?.url);
    a = { ...a, url, client: new ContractClient(url) };
    for (const order of orders) {
      const seen = await a.client.withToken(order.token).getOrder(order.id);
      expect(seen.ok && seen.body.order.status).toBe('paid');
    }
  });

  // Without a pool 'error' listener a dropped idle connection killed the process.
  it('both keep serving after PostgreSQL drops their connections (restart, failover, idle kill)', async () => {
    // Each instance has just used (so still holds) an idle pooled connection.
    await Promise.all([a.client.listProducts(), b.client.listProducts()]);
    const fromSeq = [a.process.nextSeq, b.process.nextSeq] as const;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ terminated: boolean }>(
        `select pg_terminate_backend(pid) as terminated from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.end();
    }
    // Give both a moment to notice (a pool warning or a failed query, both logged with the code);
    // an instance whose only connection was busy may log nothing, which is fine.
    await Promise.all(
      [a, b].map((instance, i) =>
        instance.process
          .waitForLine((line) => line.json?.code === '57P01', { timeoutMs: 10_000, description: 'the lost-connection log', fromSeq: fromSeq[i] ?? 0 })
          .catch(() => undefined),
      ),
    );
    expect(a.process.running && b.process.running, `${a.process.tail(15)}\n${b.process.tail(15)}`).toBe(true);
    // A pooled connection whose loss is not noticed yet can fail one request (500), as after any
    // failover; clients retry. What matters: the processes stay up and recover.
    let order: OpenOrder | undefined;
    for (let attempt = 1; order === undefined; attempt += 1) {
      try {
        order = await openOrder(attempt % 2 === 0 ? a : b, emulator);
      } catch (error) {
        if (attempt >= 25) throw error;
      }
    }
    // WeChat Pay retries until it gets the SUCCESS ack; until then every answer must be a FAIL.
    const body = signedPaidNotification(order, newTransactionId());
    const answers: { status: number; text: string }[] = [];
    while (answers.at(-1)?.text !== buildNotifyAck() && answers.length < 25) answers.push(await postNotification((answers.length % 2 === 0 ? b : a).url, body));
    expect(answers.at(-1)).toEqual({ status: 200, text: buildNotifyAck() });
    expect(answers.slice(0, -1).filter((answer) => answer.status !== 500)).toEqual([]);
    expect((await readOrderLedger(database.url, [order.id])).get(order.id)).toMatchObject({ status: 'paid', paidEvents: 1, appliedNotifications: 1 });
    expect(a.process.running && b.process.running).toBe(true);
    // The lost-connection errors carry the database password (pg's connection parameters): no log line may.
    const password = decodeURIComponent(new URL(database.url).password);
    const leaks = password === '' ? [] : [...a.process.lines, ...b.process.lines].filter((line) => line.text.includes(password));
    expect(leaks).toEqual([]);
  });
});
