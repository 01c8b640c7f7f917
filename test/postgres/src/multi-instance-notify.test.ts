import { devMerchant, buildSignedNotification } from '@checkout/protocol/testing';
import { buildNotifyAck } from '@checkout/protocol/wxpay';
import { createEmulator, type Emulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBffCluster, type BffCluster, type BffInstance } from './testing/bff-cluster';
import { openOrder, type OpenOrder } from './testing/open-order';
import { readOrderLedger } from './testing/order-ledger';
import { postNotification } from './testing/post-notification';
import { provideTestDatabase, type TestDatabase } from './testing/test-database';
import { newTransactionId } from './testing/transaction-ids';

function signedPaidNotification(order: OpenOrder, transactionId: string): string {
  return buildSignedNotification(
    {
      appid: devMerchant.appId,
      mch_id: devMerchant.mchId,
      out_trade_no: order.outTradeNo,
      total_fee: String(order.payableFen),
      transaction_id: transactionId,
    },
    { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' },
  );
}

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
    cluster = await startBffCluster({ count: 2, databaseUrl: database.url, wxpayBaseUrl: running.url });
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
      expect(ledger.get(order.id), order.outTradeNo).toEqual({
        status: 'paid',
        transactionId: transactionIds.get(order.id),
        paidEvents: 1,
        closedEvents: 0,
        notifications: copies,
        appliedNotifications: 1,
      });
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
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) {
      const entry = ledger.get(order.id);
      expect(entry?.status).toBe('paid');
      expect(contenders.get(order.id)).toContain(entry?.transactionId);
      expect(entry?.paidEvents).toBe(1);
      expect(entry?.appliedNotifications).toBe(1);
      expect(entry?.notifications).toBe(10);
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
});
