import { loadConfig, startBff, type RunningBff, type WxPayCallEvent } from '@checkout/bff';
import { ContractClient, provideTestDatabase, type TestDatabase } from '@checkout/test-harness';
import { createEmulator, type Emulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BffInstance } from './testing/bff-cluster';
import { openOrder } from './testing/open-order';
import { postNotification } from './testing/post-notification';
import { readOrderLedger } from './testing/order-ledger';

const PAYMENT_WINDOW_SECONDS = 360;

describe('the sweeper running in two BFF instances at once on one PostgreSQL', () => {
  let database: TestDatabase;
  let emulator: Emulator;
  let running: RunningEmulator;
  const bffs: RunningBff[] = [];
  const instances: BffInstance[] = [];
  const calls: (WxPayCallEvent & { instance: string })[] = [];

  beforeAll(async () => {
    database = await provideTestDatabase('sweeper');
    emulator = createEmulator();
    running = await emulator.listen(0, '127.0.0.1');
    const config = loadConfig({
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: '0',
      WXPAY_MCH_BASE_URL: running.url,
      WXPAY_API_BASE_URL: running.url,
      // Notifications are lost (nothing listens there): only the sweepers can learn about payments.
      WXPAY_NOTIFY_URL: 'http://127.0.0.1:9/wxpay/notify',
      ORDER_PAYMENT_WINDOW_SECONDS: String(PAYMENT_WINDOW_SECONDS),
      // Sweeps are driven by the test, both instances at once, on the emulator's movable clock.
      SWEEPER_ENABLED: '0',
      WXPAY_RETRY_BASE_MS: '1',
      RATE_LIMIT_MAX: '1000000',
      LOGIN_RATE_LIMIT_MAX: '1000000',
      LOGIN_BUDGET_MAX: '1000000',
      LOG_LEVEL: 'silent',
    });
    const clock = { now: () => emulator.control.now() };
    for (const name of ['in-process-a', 'in-process-b']) {
      const bff = await startBff(config, { clock, wxpayObserver: (event) => calls.push({ ...event, instance: name }) });
      bffs.push(bff);
      instances.push({ name, url: bff.url, client: new ContractClient(bff.url), process: undefined as never });
    }
  });

  afterAll(async () => {
    await Promise.all(bffs.map((bff) => bff.close()));
    await running?.close();
    await database?.release();
  });

  const sweepBothAtOnce = async (rounds: number): Promise<void> => {
    for (let round = 0; round < rounds; round += 1) await Promise.all(bffs.map((bff) => bff.sweeper.runOnce()));
  };
  const callsFor = (interfaceName: WxPayCallEvent['interfaceName'], outTradeNo: string) =>
    calls.filter((call) => call.interfaceName === interfaceName && call.outTradeNo === outTradeNo);

  it('closes each expired order once and settles each paid one once, never both', async () => {
    const [a, b] = instances as [BffInstance, BffInstance];
    const orders = await Promise.all(Array.from({ length: 16 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    const paid = orders.filter((_, i) => i % 4 === 0);
    const unpaid = orders.filter((_, i) => i % 4 !== 0);
    for (const order of paid) emulator.control.payOrder(order.outTradeNo);

    emulator.control.advanceClock((PAYMENT_WINDOW_SECONDS + 60) * 1000);
    // Each orderquery takes a while, as on the real network: one sweeper cannot claim every order
    // before the other has listed them, even on a loaded machine, so the two really contend.
    emulator.control.setFaults('orderquery', { latencyMs: 40 });
    try {
      await sweepBothAtOnce(3);
    } finally {
      emulator.control.clearFaults();
    }

    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of paid) {
      expect(ledger.get(order.id), order.outTradeNo).toMatchObject({ status: 'paid', paidEvents: 1, closedEvents: 0 });
      expect(ledger.get(order.id)?.transactionId).toBe(emulator.control.order(order.outTradeNo)?.transactionId);
      expect(callsFor('closeorder', order.outTradeNo)).toEqual([]);
    }
    for (const order of unpaid) {
      expect(ledger.get(order.id), order.outTradeNo).toMatchObject({ status: 'closed', paidEvents: 0, closedEvents: 1 });
      expect(emulator.control.order(order.outTradeNo)?.tradeState).toBe('CLOSED');
      // One closeorder per order across both instances: the claim kept the other sweeper off it.
      expect(callsFor('closeorder', order.outTradeNo).map((call) => call.attempt)).toEqual([1]);
    }
    // Both instances did part of the work.
    const closers = new Set(unpaid.flatMap((order) => callsFor('closeorder', order.outTradeNo).map((call) => call.instance)));
    expect(closers.size).toBe(2);
  });

  it('confirms each paid order with one orderquery when both sweepers find it stale together', async () => {
    const [a, b] = instances as [BffInstance, BffInstance];
    const orders = await Promise.all(Array.from({ length: 10 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    for (const order of orders) emulator.control.payOrder(order.outTradeNo);
    // Stale enough for the sweeper's orderquery, well inside the payment window.
    emulator.control.advanceClock(120 * 1000);
    await sweepBothAtOnce(2);

    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) {
      expect(ledger.get(order.id), order.outTradeNo).toMatchObject({ status: 'paid', paidEvents: 1, closedEvents: 0 });
      expect(callsFor('orderquery', order.outTradeNo)).toHaveLength(1);
    }
  });

  it('orders paid at the last moment: both sweepers and notifications on both instances at once settle them paid, once, never closed', async () => {
    const [a, b] = instances as [BffInstance, BffInstance];
    const orders = await Promise.all(Array.from({ length: 8 }, (_, i) => openOrder(i % 2 === 0 ? a : b, emulator)));
    for (const order of orders) emulator.control.payOrder(order.outTradeNo);
    const outTradeNos = new Set(orders.map((order) => order.outTradeNo));
    // The pushes to the (dead) notify URL are recorded with WeChat Pay's exact bytes.
    const pushes = await emulator.control.waitForDeliveries((delivery) => outTradeNos.has(delivery.outTradeNo), 30_000, orders.length);
    const bodies = [...new Map(pushes.map((delivery) => [delivery.outTradeNo, delivery.requestBody])).values()];
    emulator.control.advanceClock((PAYMENT_WINDOW_SECONDS + 60) * 1000);

    const [answers] = await Promise.all([
      Promise.all(bodies.flatMap((body) => [a, b].map((target) => postNotification(target.url, body)))),
      ...bffs.map((bff) => bff.sweeper.runOnce()),
    ]);
    await sweepBothAtOnce(1);

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const ledger = await readOrderLedger(database.url, orders.map((order) => order.id));
    for (const order of orders) {
      expect(ledger.get(order.id), order.outTradeNo).toMatchObject({ status: 'paid', paidEvents: 1, closedEvents: 0 });
      expect(emulator.control.order(order.outTradeNo)?.tradeState).toBe('SUCCESS');
    }
  });

  it("an instance whose close failed keeps its lease; the other takes the order over only after the lease and closes it once", async () => {
    const [a, b] = bffs as [RunningBff, RunningBff];
    const [instanceA] = instances as [BffInstance, BffInstance];
    const order = await openOrder(instanceA, emulator);
    emulator.control.advanceClock((PAYMENT_WINDOW_SECONDS + 60) * 1000);

    // A claims the order and its closeorder never gets through (every attempt's connection drops).
    emulator.control.setFaults('closeorder', { dropConnectionRate: 1, count: 3 });
    expect(await a.sweeper.runOnce()).toMatchObject({ closeAttempts: 1, closed: 0, errors: 1 });
    emulator.control.clearFaults();
    expect(callsFor('closeorder', order.outTradeNo).map((call) => [call.instance, call.outcome])).toEqual([
      ['in-process-a', 'connection_error'],
      ['in-process-a', 'connection_error'],
      ['in-process-a', 'connection_error'],
    ]);

    const callsBy = (instance: string) => calls.filter((call) => call.outTradeNo === order.outTradeNo && call.instance === instance);
    const callsOfA = callsBy('in-process-a').length;

    // Within A's lease B leaves the order alone (no WeChat Pay call at all), however often it sweeps.
    await b.sweeper.runOnce();
    await b.sweeper.runOnce();
    expect(callsBy('in-process-b')).toEqual([]);
    expect((await readOrderLedger(database.url, [order.id])).get(order.id)?.status).toBe('pending');

    // The lease (60 s) runs out: B takes over (orderquery, then closeorder unless WeChat Pay
    // already reports it closed); A, sweeping afterwards, makes no further call.
    emulator.control.advanceClock(61 * 1000);
    await b.sweeper.runOnce();
    await a.sweeper.runOnce();

    expect(callsBy('in-process-b').length).toBeGreaterThan(0);
    expect(callsBy('in-process-a')).toHaveLength(callsOfA);
    expect(callsFor('closeorder', order.outTradeNo).filter((call) => call.outcome === 'success').length).toBeLessThanOrEqual(1);
    expect((await readOrderLedger(database.url, [order.id])).get(order.id)).toMatchObject({ status: 'closed', closedEvents: 1, paidEvents: 0 });
    expect(emulator.control.order(order.outTradeNo)?.tradeState).toBe('CLOSED');
  });
});
