import { buildNotifyAck } from '@checkout/protocol/wxpay';
import { createEmulator, type Emulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type RunningPostgres } from '@checkout/postgres-server';
import { startBffCluster, type BffCluster, type BffInstance } from './testing/bff-cluster';
import { openOrder } from './testing/open-order';
import { readOrderLedger } from './testing/order-ledger';
import { postNotification } from './testing/post-notification';
import { signedPaidNotification } from './testing/signed-paid-notification';
import { newTransactionId } from './testing/transaction-ids';
import { waitUntil } from '@checkout/postgres-server/testing/wait-until';


async function readyStatus(instance: BffInstance): Promise<number> {
  return (await fetch(`${instance.url}/readyz`)).status;
}

// Needs its own server (it takes it down), so it ignores TEST_DATABASE_URL.
describe('two BFF processes through a PostgreSQL outage', () => {
  let postgres: RunningPostgres;
  let emulator: Emulator;
  let running: RunningEmulator;
  let cluster: BffCluster;
  let a: BffInstance;
  let b: BffInstance;

  beforeAll(async () => {
    postgres = await startPostgres({ database: 'outage' });
    // WeChat Pay's retry schedule at 1/100 speed: 150 ms, 150 ms, 300 ms, 1.8 s, 6 s, 12 s, …
    emulator = createEmulator({ notifyTimeScale: 0.01 });
    running = await emulator.listen(0, '127.0.0.1');
    cluster = await startBffCluster({ count: 2, databaseUrl: postgres.url, wxpayBaseUrl: running.url });
    [a, b] = cluster.instances as [BffInstance, BffInstance];
  });

  afterAll(async () => {
    await cluster?.stop();
    await running?.close();
    await postgres?.stop();
  });

  it('refuse notifications with a FAIL ack while the database is down, stay up, and pay each order once after it returns', async () => {
    const direct = await Promise.all([0, 1, 2, 3].map((i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    const viaEmulator = await Promise.all([0, 1].map((i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    const transactionIds = new Map(direct.map((order) => [order.id, newTransactionId()]));

    await postgres.stopServer();

    expect(await Promise.all([readyStatus(a), readyStatus(b)])).toEqual([503, 503]);
    const duringOutage = await Promise.all(
      direct.flatMap((order) => [a, b].map((target) => postNotification(target.url, signedPaidNotification(order, transactionIds.get(order.id) ?? '')))),
    );
    // Not the SUCCESS ack: WeChat Pay must keep retrying.
    expect(duringOutage.filter((answer) => answer.status === 200 || answer.text === buildNotifyAck())).toEqual([]);
    // Paid at WeChat Pay while we are down: its first pushes fail, its retries must land later.
    for (const order of viaEmulator) emulator.control.payOrder(order.outTradeNo);

    await postgres.startServer();

    expect(a.process.running && b.process.running, `${a.process.tail(20)}\n${b.process.tail(20)}`).toBe(true);
    await waitUntil(async () => (await readyStatus(a)) === 200 && (await readyStatus(b)) === 200, 'both instances ready again');
    // WeChat Pay redelivers the refused notifications, to either instance.
    const afterOutage = await Promise.all(
      direct.flatMap((order) => [b, a].map((target) => postNotification(target.url, signedPaidNotification(order, transactionIds.get(order.id) ?? '')))),
    );
    expect(afterOutage.every((answer) => answer.status === 200 && answer.text === buildNotifyAck())).toBe(true);
    const emulatorOrders = new Set(viaEmulator.map((order) => order.outTradeNo));
    await emulator.control.waitForDeliveries((delivery) => emulatorOrders.has(delivery.outTradeNo) && delivery.acked, 90_000, viaEmulator.length);

    const ledger = await readOrderLedger(postgres.url, [...direct, ...viaEmulator].map((order) => order.id));
    for (const order of direct) {
      expect(ledger.get(order.id), order.outTradeNo).toMatchObject({ status: 'paid', transactionId: transactionIds.get(order.id), paidEvents: 1, appliedNotifications: 1 });
    }
    for (const order of viaEmulator) {
      expect(ledger.get(order.id), order.outTradeNo).toMatchObject({
        status: 'paid',
        transactionId: emulator.control.order(order.outTradeNo)?.transactionId,
        paidEvents: 1,
      });
    }
  });
});
