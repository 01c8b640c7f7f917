import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderPaymentResponse } from '@checkout/protocol/contract';
import { bySize, eventually, expectOk, mapConcurrent, startStack, SuiteSummary, type ApiResult, type Stack } from '@checkout/test-harness';
import { createOrders } from './create-orders';

const orderCount = bySize({ small: 40, full: 300 });
const checkoutCount = bySize({ small: 24, full: 200 });
const copies = 3;

/**
 * Crash: kill -9 the BFF while notifications (3 concurrent copies each) are arriving, keep paying
 * while it is down, restart it on the same port and database. The emulator's time-scaled retries
 * must bring every paid order to paid exactly once. Then the same during a checkout burst: no
 * order half-written, and every order left behind can still be paid.
 * The sweeper is off so that the notification retries are the only way back.
 */
describe(`crash: kill -9 the BFF during a ${String(orderCount)}-order notification storm and a checkout burst`, () => {
  const summary = new SuiteSummary('reliability:crash');
  let stack: Stack;
  let orders: OrderPaymentResponse[];

  beforeAll(async () => {
    stack = await startStack({ name: 'crash', notifyTimeScale: 0.001, bffEnv: { LOG_LEVEL: 'warn', SWEEPER_ENABLED: '0' } });
    orders = (await createOrders(stack, orderCount)).orders;
    await stack.emulator.setNotifyOptions({ duplicates: copies });
  }, 180_000);
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  it('every paid order ends paid exactly once after the crash and restart', async () => {
    summary.try(`${String(orderCount)} orders paid with ${String(copies)} copies per notification, kill -9 after a third, restart`);
    let paid = 0;
    const paying = mapConcurrent(orders, 8, async (created) => {
      const result = await stack.emulator.cashier(created.payment, 'pay');
      paid += 1;
      return result;
    });
    await eventually(() => (paid >= orderCount / 3 ? true : undefined), { timeoutMs: 60_000, description: 'a third of the payments', intervalMs: 10 });
    const exit = await stack.bffProcess.kill9();
    expect(exit.signal).toBe('SIGKILL');
    const paidBeforeKill = paid;
    const results = await paying;
    expect(results.filter((r) => r.errMsg !== 'requestPayment:ok')).toEqual([]);
    await stack.startBff();

    const db = stack.database();
    await eventually(() => (db.count(`select count(*) from orders where status = 'paid'`) === orderCount ? true : undefined), {
      timeoutMs: 120_000,
      description: `all ${String(orderCount)} orders paid after the restart`,
      intervalMs: 250,
    });
    const report = db.integrity();
    expect(report.problems).toEqual([]);
    expect(report.doublyPaid).toEqual([]);
    expect(report.paidTransitions).toBe(orderCount);
    for (const created of orders) {
      expect(db.order(created.order.outTradeNo)?.transaction_id).toBe((await stack.emulator.order(created.order.outTradeNo))?.transactionId);
    }
    const deliveries = await stack.emulator.deliveries();
    const refused = deliveries.filter((d) => d.status === null).length;
    const answeredWrong = deliveries.filter((d) => d.status !== null && !d.acked);
    expect(answeredWrong.map((d) => `${d.outTradeNo} → ${String(d.status)} ${d.body.slice(0, 80)}`)).toEqual([]);
    summary.hold(
      `killed after ${String(paidBeforeKill)} payments; ${String(refused)} deliveries found the BFF down or late and were retried; ${String(orderCount)}/${String(orderCount)} paid, ${String(report.paidTransitions)} transitions, 0 doubly paid, 0 half-written`,
    );
  }, 240_000);

  it('a checkout burst cut by kill -9 leaves no half-written order, and every order left can still be paid', async () => {
    summary.try(`${String(checkoutCount)} concurrent checkouts, kill -9 mid-burst, restart`);
    const buyer = await stack.login();
    let done = 0;
    const burst = mapConcurrent(Array.from({ length: checkoutCount }, (_, i) => i), 10, async (i): Promise<ApiResult<OrderPaymentResponse> | 'lost'> => {
      try {
        return await buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 + (i % 2) }, { productId: 'test-1fen', quantity: 1 }] });
      } catch {
        return 'lost';
      } finally {
        done += 1;
      }
    });
    await eventually(() => (done >= checkoutCount / 4 ? true : undefined), { timeoutMs: 60_000, description: 'a quarter of the checkouts', intervalMs: 5 });
    await stack.bffProcess.kill9();
    const results = await burst;
    await stack.startBff();

    const lost = results.filter((r) => r === 'lost').length;
    const answered = results.filter((r) => r !== 'lost');
    // Whatever was answered before the crash was a full order or a contract error, never a 500.
    expect(answered.filter((r) => !r.ok && r.status >= 500 && r.error.code !== 'PAYMENT_PROVIDER_UNAVAILABLE')).toEqual([]);

    const db = stack.database();
    const integrity = db.integrity();
    expect(integrity.problems).toEqual([]);
    // out_trade_no is persisted before unifiedorder: WeChat Pay never knows an order we lost.
    const known = new Set(db.orders().map((o) => o.out_trade_no));
    const upstream = await stack.emulator.orders();
    expect(upstream.filter((o) => !known.has(o.outTradeNo)).map((o) => o.outTradeNo)).toEqual([]);
    for (const order of upstream) {
      const row = db.order(order.outTradeNo);
      if (row?.prepay_id) expect(row.prepay_id).toBe(order.prepayId);
    }

    const burstOrders = db.orders().filter((o) => o.status === 'pending' && !orders.some((p) => p.order.id === o.id));
    expect(burstOrders.length).toBeGreaterThanOrEqual(answered.filter((r) => r.ok).length);
    const repaid = await mapConcurrent(burstOrders, 4, async (row) => {
      const payment = expectOk(await buyer.payOrder(row.id));
      const cashier = await stack.emulator.cashier(payment.payment, 'pay');
      return cashier.errMsg;
    });
    expect(repaid.filter((errMsg) => errMsg !== 'requestPayment:ok')).toEqual([]);
    await eventually(() => (db.count(`select count(*) from orders where status = 'pending'`) === 0 ? true : undefined), {
      timeoutMs: 60_000,
      description: 'every order of the burst paid',
      intervalMs: 250,
    });
    const final = db.integrity();
    expect(final.problems).toEqual([]);
    expect(final.doublyPaid).toEqual([]);
    expect(final.paidTransitions).toBe(final.orders);
    summary.hold(
      `${String(answered.length)} answered, ${String(lost)} cut by the crash; ${String(burstOrders.length)} orders on disk all whole, none unknown to us at WeChat Pay, all paid afterwards exactly once`,
    );
  }, 240_000);

  it('SIGTERM drains checkouts already inside the BFF: each completes, the process exits 0, nothing lost', async () => {
    summary.try('SIGTERM while 8 checkouts wait on a slow unifiedorder');
    const buyer = await stack.login();
    const db = stack.database();
    const before = db.count('select count(*) from orders');
    await stack.emulator.setFaults('unifiedorder', { latencyMs: 1500 });
    const inFlight = Array.from({ length: 8 }, () => buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
    // Orders are persisted before unifiedorder: once all 8 rows exist, all 8 requests are inside.
    await eventually(() => (db.count('select count(*) from orders') === before + 8 ? true : undefined), { timeoutMs: 30_000, description: '8 checkouts in flight', intervalMs: 20 });
    const stopping = stack.bffProcess.stop(30_000);
    const results = await Promise.all(inFlight);
    const exit = await stopping;
    await stack.emulator.clearFaults();
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : `${String(r.status)} ${r.error.code}`))).toEqual([]);
    expect(exit).toMatchObject({ code: 0, forced: false });
    await stack.startBff();
    for (const result of results) {
      if (!result.ok) continue;
      expect(expectOk(await buyer.getOrder(result.body.order.id)).order.status).toBe('pending');
      expect((await stack.emulator.order(result.body.order.outTradeNo))?.prepayId).toBe(result.body.payment.package.replace('prepay_id=', ''));
    }
    summary.hold('8/8 answered 200 with a valid prepay before exit code 0');
  }, 120_000);

  it('a paid subsidy order whose gov sync could not be sent survives kill -9: synced once after the restart', async () => {
    summary.try('gov sync failing, paid subsidy order, kill -9, restart');
    const buyer = await stack.login();
    await stack.emulator.setFaults('govSync', { systemErrorRate: 1 });
    const created = expectOk(
      await buyer.createOrder({
        items: [{ productId: 'fridge-510', quantity: 1 }],
        subsidy: { realName: '李四', identityDocumentType: 'ID_DOC_TYPE_ID_CARD', idCardNumber: '11010519491231002X', phoneNumber: '13912345678', receiveRegionCode: '110105', qualificationRegionCode: 110000 },
      }),
    );
    await stack.emulator.setNotifyOptions({ duplicates: 1 });
    expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    const db = stack.database();
    await eventually(() => (db.order(created.order.outTradeNo)?.status === 'paid' ? true : undefined), { timeoutMs: 30_000, description: 'the subsidy order paid' });
    await stack.bffProcess.kill9();
    await stack.emulator.clearFaults();
    await stack.startBff();
    // The dead process may have leased the job (60 s): move both clocks past the lease, together,
    // since v3 signatures carry timestamps that must agree within 5 minutes.
    await stack.emulator.advanceClock(61_000);
    await stack.shiftBffClock(61_000);
    const syncsFor = async () => (await stack.emulator.govSyncs()).filter((record) => JSON.stringify(record).includes(created.order.outTradeNo));
    await eventually(async () => ((await syncsFor()).length > 0 ? true : undefined), { timeoutMs: 45_000, description: 'the gov sync after the restart' });
    // One more poll period: a duplicate would show up now.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await syncsFor()).toHaveLength(1);
    summary.hold('the outbox job outlived the crash; exactly one gov sync');
  }, 120_000);
});
