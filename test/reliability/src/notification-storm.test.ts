import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderPaymentResponse } from '@checkout/protocol/contract';
import { bySize, mapConcurrent, startStack, SuiteSummary, type DeliveryView, type Stack } from '@checkout/test-harness';
import { createOrders } from './create-orders';

const orderCount = bySize({ small: 60, full: 1000 });
const copies = 5;
const successAck = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

/**
 * Notification storm: every paid order's notification arrives 5 times at once (the emulator's
 * duplicates option), then again straight from the test. Exactly one pending → paid transition per
 * order, every answered copy is the exact SUCCESS ack, the copy that paid is stored, repeats cost
 * no write, nothing lost.
 * A copy the BFF answers after WeChat's 5 s limit is retried by the emulator; how many were is
 * reported, not asserted (timing on a shared machine is not a correctness property).
 */
describe(`notification storm: ${String(orderCount)} orders × ${String(copies)} concurrent copies`, () => {
  const summary = new SuiteSummary('reliability:storm');
  let stack: Stack;
  let orders: OrderPaymentResponse[];
  let deliveries: DeliveryView[] = [];

  beforeAll(async () => {
    // Real-time schedule: the emulator's ack limit is then WeChat's 5 s (time-scaled runs shrink it to 1 s).
    stack = await startStack({ name: 'storm', notifyTimeScale: 1, bffEnv: { LOG_LEVEL: 'warn' } });
    orders = (await createOrders(stack, orderCount)).orders;
    await stack.emulator.setNotifyOptions({ duplicates: copies });
  }, 180_000);
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  it('every order paid at the cashier ends acknowledged; every answer to a valid copy is the exact SUCCESS ack', async () => {
    summary.try(`${String(orderCount)} orders paid at the cashier, ${String(copies)} concurrent notification copies each`);
    const results = await mapConcurrent(orders, 8, (created) => stack.emulator.cashier(created.payment, 'pay'));
    expect(results.filter((r) => r.errMsg !== 'requestPayment:ok')).toEqual([]);

    const wanted = new Set(orders.map((o) => o.order.outTradeNo));
    deliveries = await stack.emulator.waitForDeliveries(
      (all) => {
        const acked = new Set(all.filter((d) => d.acked).map((d) => d.outTradeNo));
        // Also every first copy finished: one order's ack can come while its sibling copies are still in flight.
        const firstCopiesDone = all.filter((d) => d.attempt === 1 && wanted.has(d.outTradeNo)).length === orderCount * copies;
        return firstCopiesDone && [...wanted].every((outTradeNo) => acked.has(outTradeNo));
      },
      { timeoutMs: 150_000, description: `an acked delivery for each of ${String(orderCount)} orders and every first copy answered`, intervalMs: 500 },
    );
    const ours = deliveries.filter((d) => wanted.has(d.outTradeNo));
    const answeredWrong = ours.filter((d) => d.status !== null && !(d.status === 200 && d.body === successAck));
    expect(answeredWrong.map((d) => `${d.outTradeNo}#${String(d.attempt)}.${String(d.copy)} → ${String(d.status)} ${d.body.slice(0, 80)}`)).toEqual([]);
    const firstAttempt = ours.filter((d) => d.attempt === 1);
    expect(firstAttempt).toHaveLength(orderCount * copies);
    const late = ours.filter((d) => d.status === null).length;
    summary.hold(
      `all ${String(orderCount)} orders acknowledged; ${String(firstAttempt.filter((d) => d.acked).length)}/${String(orderCount * copies)} first copies acked within 5 s, ${String(late)} late copies retried, 0 refused`,
    );
  }, 240_000);

  it('applies exactly one transition per order and stores the copy that paid it', () => {
    const db = stack.database();
    const report = db.integrity();
    expect(report.problems).toEqual([]);
    expect(report.doublyPaid).toEqual([]);
    expect(report.paidTransitions).toBe(orderCount);
    expect(report.byStatus.paid).toBe(orderCount);
    const storedAfterStorm = db.count(`select count(*) from pay_notifications where outcome = 'SUCCESS'`);
    // The copy that paid each order is stored as applied; copies that raced it are stored as not
    // applied; repeats after the payment committed are acked without a write.
    // (The sweeper's orderquery may pay an order first: then no copy is the applied one.)
    const applied = db.count(`select count(*) from pay_notifications where applied = 1`);
    expect(applied).toBeLessThanOrEqual(orderCount);
    expect(db.count(`select count(distinct order_id) from pay_notifications where applied = 1`)).toBe(applied);
    const ours = deliveries.filter((d) => orders.some((o) => o.order.outTradeNo === d.outTradeNo));
    expect(storedAfterStorm).toBeLessThanOrEqual(ours.length);
    summary.hold(`${String(report.paidTransitions)} transitions for ${String(orderCount)} orders, 0 doubly paid, ${String(storedAfterStorm)} copies stored (1 applied per order), 0 half-written`);
  });

  it('replaying every notification 5× at once straight at /wxpay/notify is acked SUCCESS and changes nothing', async () => {
    const bodies = deliveries.filter((d) => d.attempt === 1 && d.copy === 0 && d.requestBody !== undefined).map((d) => d.requestBody as string);
    expect(bodies).toHaveLength(orderCount);
    summary.try(`${String(bodies.length * copies)} direct replays (${String(copies)} at once per order)`);
    const storedBeforeReplays = stack.database().count(`select count(*) from pay_notifications`);
    const answers = await mapConcurrent(bodies, 8, (body) =>
      Promise.all(Array.from({ length: copies }, () => stack.api.raw('POST', '/wxpay/notify', { body, headers: { 'content-type': 'text/xml' } }))),
    );
    const flat = answers.flat();
    expect(flat.filter((a) => a.status !== 200 || a.text !== successAck).map((a) => `${String(a.status)} ${a.text.slice(0, 80)}`)).toEqual([]);
    const db = stack.database();
    const report = db.integrity();
    expect(report.paidTransitions).toBe(orderCount);
    expect(report.doublyPaid).toEqual([]);
    // Every order was paid before the replays: each replay is a repeat, acked without a write.
    expect(db.count(`select count(*) from pay_notifications`)).toBe(storedBeforeReplays);
    expect(stack.bffProcess.running).toBe(true);
    summary.hold(`${String(flat.length)}/${String(flat.length)} replays acked SUCCESS without a write, still ${String(report.paidTransitions)} transitions`);
  }, 120_000);
});
