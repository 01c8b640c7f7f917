import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import { bySize, eventually, expectError, expectOk, findFreePort, holdWriteLock, mapConcurrent, startStack, SuiteSummary, testDatabaseBackend, waitForStatus, type ContractClient, type Stack } from '@checkout/test-harness';

const convergeCount = bySize({ small: 8, full: 60 });
const maxAttempts = 3;

/**
 * WeChat Pay misbehaving (the emulator's fault options) on unifiedorder, orderquery and closeorder:
 * bounded retries with identical parameters, clear client errors, never a duplicate order, and the
 * sweeper converging once the faults stop or between them. Notifications go to a closed port, so
 * orderquery is the only way the BFF learns of a payment.
 */
describe('faults on unifiedorder, orderquery and closeorder', () => {
  const summary = new SuiteSummary('reliability:faults');
  let stack: Stack;
  let buyer: ContractClient;
  let offset = 0;

  const attemptsSince = (from: number, endpoint: string): number =>
    stack.emulatorProcess.lines.filter((line) => line.seq >= from && line.json?.msg === 'v2 request' && line.json.endpoint === endpoint).length;
  const ordersUpstream = async (outTradeNo: string): Promise<number> => (await stack.emulator.orders()).filter((o) => o.outTradeNo === outTradeNo).length;
  const myOrderCount = (): number => stack.database().count('select count(*) from orders');
  const kettle = { items: [{ productId: 'kettle', quantity: 1 }] };

  /** Moves both clocks; the sweeper holds a 60 s lease on each order it touched, so a step of 61 s frees them. */
  const advance = async (ms: number): Promise<void> => {
    offset += ms;
    await stack.emulator.advanceClock(ms);
    await stack.shiftBffClock(offset);
  };
  /** Polls `done` for a few seconds after each 61 s step of the clocks, up to `maxSteps` steps. */
  const settle = async (done: () => boolean | Promise<boolean>, maxSteps: number, description: string): Promise<number> => {
    for (let step = 0; step <= maxSteps; step += 1) {
      const settled = await eventually(async () => ((await done()) ? true : undefined), { timeoutMs: 1_500, description, intervalMs: 100 }).catch(() => false);
      if (settled) return step;
      await advance(61_000);
    }
    throw new Error(`not settled after ${String(maxSteps)} sweeper lease periods: ${description}`);
  };

  beforeAll(async () => {
    const deadPort = await findFreePort();
    stack = await startStack({
      name: 'faults',
      bffEnv: {
        WXPAY_NOTIFY_URL: `http://127.0.0.1:${String(deadPort)}/wxpay/notify`,
        WXPAY_MAX_ATTEMPTS: String(maxAttempts),
        WXPAY_RETRY_BASE_MS: '20',
        WXPAY_TIMEOUT_MS: '1000',
        SWEEPER_INTERVAL_MS: '200',
        SWEEPER_QUERY_AFTER_SECONDS: '1',
        SWEEPER_REQUERY_INTERVAL_SECONDS: '0',
        SESSION_TTL_SECONDS: String(7 * 24 * 3600),
      },
    });
    buyer = await stack.login();
  });
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  it('unifiedorder SYSTEMERROR every time: exactly 3 attempts, PAYMENT_PROVIDER_UNAVAILABLE, no order at WeChat Pay', async () => {
    summary.try('unifiedorder SYSTEMERROR always');
    await stack.emulator.setFaults('unifiedorder', { systemErrorRate: 1 });
    const before = myOrderCount();
    const from = stack.emulatorProcess.nextSeq;
    const error = expectError(await buyer.createOrder(kettle, { idempotencyKey: 'faults-systemerror-1' }));
    await stack.emulator.clearFaults();
    expect(error).toMatchObject({ status: 503, code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    expect(error.message).not.toMatch(/sign|key/i);
    expect(attemptsSince(from, 'unifiedorder')).toBe(maxAttempts);
    expect(myOrderCount() - before).toBeLessThanOrEqual(1);
    // Retrying the tap after the outage: one order, whatever the first attempt left behind.
    const retried = await buyer.createOrder(kettle, { idempotencyKey: 'faults-systemerror-1' });
    if (retried.ok) expect(await ordersUpstream(retried.body.order.outTradeNo)).toBe(1);
    expect(myOrderCount() - before).toBeLessThanOrEqual(1);
    summary.hold(`${String(maxAttempts)} attempts then 503 PAYMENT_PROVIDER_UNAVAILABLE, ≤1 order after a retry with the same key`);
  });

  it('SYSTEMERROR twice then fine: the third identical attempt succeeds, one order', async () => {
    summary.try('unifiedorder SYSTEMERROR ×2');
    await stack.emulator.setFaults('unifiedorder', { systemErrorRate: 1, count: 2 });
    const from = stack.emulatorProcess.nextSeq;
    const created = expectOk(await buyer.createOrder(kettle));
    expect(attemptsSince(from, 'unifiedorder')).toBe(3);
    expect(await ordersUpstream(created.order.outTradeNo)).toBe(1);
    expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    summary.hold('succeeded on attempt 3 with a payable prepay_id');
  });

  it('connection dropped after WeChat Pay processed the order: the identical retry gets the same order, no duplicate', async () => {
    summary.try('unifiedorder processed then connection dropped');
    await stack.emulator.setFaults('unifiedorder', { dropConnectionRate: 1, count: 1 });
    const from = stack.emulatorProcess.nextSeq;
    const created = expectOk(await buyer.createOrder(kettle));
    expect(attemptsSince(from, 'unifiedorder')).toBe(2);
    expect(await ordersUpstream(created.order.outTradeNo)).toBe(1);
    expect(created.payment.package).toBe(`prepay_id=${(await stack.emulator.order(created.order.outTradeNo))?.prepayId ?? ''}`);
    summary.hold('retried with identical parameters, one upstream order, valid prepay');
  });

  it('an answer slower than the BFF timeout is retried and the order still succeeds once', async () => {
    summary.try('unifiedorder latency 1.5 s > 1 s timeout once');
    await stack.emulator.setFaults('unifiedorder', { latencyMs: 1500, count: 1 });
    const created = expectOk(await buyer.createOrder(kettle));
    expect(await ordersUpstream(created.order.outTradeNo)).toBe(1);
    summary.hold('timed-out attempt retried, one order');
  });

  it('dropped every time, gateway 502, corrupted signatures: clear errors, never a 500; the order stays payable later', async () => {
    summary.try('unifiedorder dropped always / HTTP 502 / corrupted signature');
    for (const fault of [{ dropConnectionRate: 1 }, { httpStatus: 502 }, { corruptSignatureRate: 1 }]) {
      await stack.emulator.setFaults('unifiedorder', fault);
      const result = await buyer.createOrder(kettle);
      await stack.emulator.clearFaults();
      const error = expectError(result);
      expect(['PAYMENT_PROVIDER_UNAVAILABLE', 'PAYMENT_PROVIDER_REJECTED']).toContain(error.code);
      expect([502, 503]).toContain(error.status);
    }
    // Orders left without a prepay_id are payable once WeChat Pay is back, with the same out_trade_no.
    const unpaid = stack.database().orders().filter((o) => o.status === 'pending' && o.prepay_id === null);
    expect(unpaid.length).toBeGreaterThan(0);
    for (const row of unpaid) {
      const payment = expectOk(await buyer.payOrder(row.id));
      expect(await ordersUpstream(row.out_trade_no)).toBe(1);
      expect(payment.order.outTradeNo).toBe(row.out_trade_no);
    }
    summary.hold(`clear 502/503 errors, ${String(unpaid.length)} orders left behind paid later under their own out_trade_no`);
  });

  it('orderquery failing: the order view answers the stored status instead of an error, and converges after', async () => {
    summary.try('orderquery SYSTEMERROR, dropped connections, then latency past the timeout while a payment waits');
    await stack.emulator.setFaults('orderquery', { systemErrorRate: 1 });
    const created = expectOk(await buyer.createOrder(kettle));
    expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    const view = await buyer.getOrder(created.order.id);
    expect(expectOk(view).order.status).toBe('pending');
    await stack.emulator.setFaults('orderquery', { dropConnectionRate: 1 });
    expect(expectOk(await buyer.getOrder(created.order.id)).order.status).toBe('pending');
    await stack.emulator.setFaults('orderquery', { latencyMs: 1500 });
    expect(expectOk(await buyer.getOrder(created.order.id)).order.status).toBe('pending');
    await stack.emulator.clearFaults();
    await waitForStatus(buyer, created.order.id, 'paid');
    summary.hold('GET answered pending (no 5xx) during the outage, paid after');
  });

  it('closeorder failing: the sweeper keeps trying after the 5-minute floor and closes the cancelled order', async () => {
    summary.try('closeorder SYSTEMERROR ×9, then slow past the timeout and dropped, on a cancelled order');
    const created = expectOk(await buyer.createOrder(kettle));
    expect(expectOk(await buyer.cancelOrder(created.order.id)).order.cancelRequested).toBe(true);
    await stack.emulator.setFaults('closeorder', { systemErrorRate: 1, count: 3 * maxAttempts });
    const from = stack.emulatorProcess.nextSeq;
    await advance(5 * 60_000 + 10_000);
    await settle(() => attemptsSince(from, 'closeorder') >= 3 * maxAttempts, 10, 'three failing sweeps of closeorder');
    expect(stack.database().order(created.order.outTradeNo)?.status).toBe('pending');
    // Then slow and dropped: WeChat Pay closes the order but the answer never arrives in time; the
    // retry is told ORDERCLOSED, which settles it as closed too.
    await stack.emulator.setFaults('closeorder', { latencyMs: 1500, dropConnectionRate: 1, count: maxAttempts });
    await settle(() => stack.database().order(created.order.outTradeNo)?.status === 'closed', 8, 'the cancelled order closed');
    expect(expectOk(await buyer.getOrder(created.order.id)).order.status).toBe('closed');
    expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('CLOSED');
    summary.hold(`closed after ${String(attemptsSince(from, 'closeorder'))} closeorder attempts`);
  });

  it(`the sweeper converges: ${String(convergeCount)} payments confirmed through a flaky orderquery`, async () => {
    summary.try(`${String(convergeCount)} payments with orderquery 50 % SYSTEMERROR + 20 % dropped`);
    const orders = await mapConcurrent(Array.from({ length: convergeCount }, () => kettle), 4, async (body) => expectOk(await buyer.createOrder(body)));
    await stack.emulator.setFaults('orderquery', { systemErrorRate: 0.5, dropConnectionRate: 0.2 });
    for (const created of orders) expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    const db = stack.database();
    const ids = orders.map((o) => `'${o.order.id}'`).join(',');
    const steps = await settle(() => db.count(`select count(*) from orders where status = 'paid' and id in (${ids})`) === convergeCount, 40, `all ${String(convergeCount)} orders confirmed paid by the sweeper`);
    await stack.emulator.clearFaults();
    const report = db.integrity();
    expect(report.problems).toEqual([]);
    expect(report.doublyPaid).toEqual([]);
    expect(report.paidTransitions).toBe(report.paidOrders);
    for (const created of orders) expect(await ordersUpstream(created.order.outTradeNo)).toBe(1);
    summary.hold(`${String(convergeCount)}/${String(convergeCount)} paid once each within ${String(steps + 1)} sweeper lease periods, no duplicate order anywhere, database consistent`);
  }, 120_000);

  // SQLite's whole-file write lock has no PostgreSQL equivalent that fails a write (row locks make
  // it wait); the PostgreSQL outage case is test/postgres multi-instance-outage.test.ts.
  it.skipIf(testDatabaseBackend() === 'postgres')('database locked by another process: the notification gets a FAIL ack (WeChat Pay retries), nothing is half-applied, the retry pays', async () => {
    summary.try("a notification while another process holds SQLite's write lock");
    const created = expectOk(await buyer.createOrder(kettle));
    const body = buildSignedNotification(
      { out_trade_no: created.order.outTradeNo, total_fee: String(created.order.payableFen), transaction_id: '4200000000202511250000777701' },
      { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' },
    );
    const lock = holdWriteLock(stack.sqlitePath);
    let locked;
    try {
      // Held until the BFF answers: it must give up (busy timeout) rather than hang or crash.
      locked = await stack.api.raw('POST', '/wxpay/notify', { body, headers: { 'content-type': 'text/xml' } });
    } finally {
      lock.release();
    }
    expect(locked.status).toBeGreaterThanOrEqual(500);
    expect(locked.text).toContain('FAIL');
    const row = stack.database().order(created.order.outTradeNo);
    expect(row).toMatchObject({ status: 'pending', transaction_id: null });
    const retried = await stack.api.raw('POST', '/wxpay/notify', { body, headers: { 'content-type': 'text/xml' } });
    expect(retried.status).toBe(200);
    expect(expectOk(await buyer.getOrder(created.order.id)).order.status).toBe('paid');
    expect(stack.bffProcess.running).toBe(true);
    summary.hold(`FAIL ack (${String(locked.status)}) while locked, order untouched, paid on the retry`);
  });
});
