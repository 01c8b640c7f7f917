import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk, findFreePort, startStack, waitForStatus, type ContractClient, type Stack } from '@checkout/test-harness';

const minute = 60_000;
const hour = 60 * minute;

/**
 * The lifecycle when notifications never arrive (notify_url points at a closed port): orderquery
 * confirms payments, the 5-minute closeorder floor holds, the sweeper closes cancelled and expired
 * orders, an expired prepay_id is renewed. Time moves on both sides: the emulator's clock through
 * its control API, the BFF's wall clock through the harness's clock shifter.
 */
describe('order lifecycle without notifications', () => {
  let stack: Stack;
  let client: ContractClient;
  let offset = 0;

  const advance = async (ms: number): Promise<void> => {
    offset += ms;
    await stack.emulator.advanceClock(ms);
    await stack.shiftBffClock(offset);
  };
  const order = async (productId = 'kettle') => expectOk(await client.createOrder({ items: [{ productId, quantity: 1 }] }));

  beforeAll(async () => {
    const deadPort = await findFreePort();
    stack = await startStack({
      name: 'e2e-lifecycle',
      bffEnv: {
        WXPAY_NOTIFY_URL: `http://127.0.0.1:${String(deadPort)}/wxpay/notify`,
        ORDER_PAYMENT_WINDOW_SECONDS: String(3 * 3600),
        ORDER_QUERY_AFTER_SECONDS: '0',
        ORDER_REQUERY_INTERVAL_SECONDS: '0',
        SWEEPER_INTERVAL_MS: '200',
        // Time moves hours ahead here; session expiry is covered by the access suite.
        SESSION_TTL_SECONDS: String(7 * 24 * 3600),
        SWEEPER_QUERY_AFTER_SECONDS: '1',
        SWEEPER_REQUERY_INTERVAL_SECONDS: '1',
      },
    });
    client = await stack.login();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a payment whose notification is lost is confirmed with orderquery', async () => {
    const created = await order();
    expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    const paid = await waitForStatus(client, created.order.id, 'paid');
    expect(paid.paidAt).not.toBeNull();
    const deliveries = (await stack.emulator.deliveries()).filter((d) => d.outTradeNo === created.order.outTradeNo);
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.some((d) => d.acked)).toBe(false);
    const db = stack.database();
    expect(db.order(created.order.outTradeNo)?.transaction_id).toBe((await stack.emulator.order(created.order.outTradeNo))?.transactionId);
    expect(db.integrity().problems).toEqual([]);
  });

  it('an expired prepay_id is renewed on re-pay; the old one is refused by the cashier', async () => {
    const created = await order();
    await advance(2 * hour);
    const renewed = expectOk(await client.payOrder(created.order.id));
    expect(renewed.payment.package).not.toBe(created.payment.package);
    const stale = await stack.emulator.cashier(created.payment, 'pay');
    expect(stale.errMsg).toMatch(/^requestPayment:fail/);
    expect((await stack.emulator.cashier(renewed.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    await waitForStatus(client, created.order.id, 'paid');
    expect((await stack.emulator.orders()).filter((o) => o.outTradeNo === created.order.outTradeNo)).toHaveLength(1);
  });

  it('cancel inside the 5-minute floor is recorded, and the sweeper closes the order once allowed', async () => {
    const created = await order();
    const cancelled = expectOk(await client.cancelOrder(created.order.id)).order;
    expect(cancelled).toMatchObject({ status: 'pending', cancelRequested: true });
    expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('NOTPAY');
    expect(expectError(await client.payOrder(created.order.id)).code).toBe('ORDER_NOT_PAYABLE');

    await advance(5 * minute + 10_000);
    const closed = await waitForStatus(client, created.order.id, 'closed');
    expect(closed.closedAt).not.toBeNull();
    expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('CLOSED');
    expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toMatch(/^requestPayment:fail/);
    // Cancelling a closed order again is harmless.
    expect(expectOk(await client.cancelOrder(created.order.id)).order.status).toBe('closed');
  });

  it('an unpaid order past its payment window is closed by the sweeper and can no longer be paid', async () => {
    const created = await order();
    await advance(3 * hour + minute);
    const closed = await waitForStatus(client, created.order.id, 'closed');
    expect(closed.closedAt).not.toBeNull();
    expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('CLOSED');
    expect(expectError(await client.payOrder(created.order.id)).code).toBe('ORDER_NOT_PAYABLE');
  });

  it('paid at WeChat Pay but cancelled here: closeorder answers ORDERPAID, the order is paid, never closed, and the money goes back', async () => {
    const created = await order();
    expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    const cancel = await client.cancelOrder(created.order.id);
    if (!cancel.ok) expect(cancel.error.code).toBe('ORDER_NOT_CANCELLABLE');
    await advance(5 * minute + 10_000);
    const db = stack.database();
    if (cancel.ok) {
      // The cancel landed before the payment was known: a payment on a cancelled order is refunded automatically.
      await waitForStatus(client, created.order.id, 'refunded');
      expect((await stack.emulator.refunds(created.order.outTradeNo)).map((r) => r.refundFee)).toEqual([created.order.payableFen]);
      expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('REFUND');
    } else {
      await waitForStatus(client, created.order.id, 'paid');
      expect((await stack.emulator.order(created.order.outTradeNo))?.tradeState).toBe('SUCCESS');
    }
    const row = db.order(created.order.outTradeNo);
    expect(row?.closed_at).toBeNull();
    expect(db.eventKinds(row?.id ?? '')).not.toContain('closed');
  });

  it('after all of it the database holds no half-written or doubly-paid order', () => {
    const report = stack.database().integrity();
    expect(report.problems).toEqual([]);
    expect(report.doublyPaid).toEqual([]);
    expect(report.paidTransitions).toBe(report.paidOrders);
  });
});
