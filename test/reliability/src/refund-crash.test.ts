import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes, apiPath } from '@checkout/protocol/contract';
import { eventually, expectOk, startStack, SuiteSummary, type Stack } from '@checkout/test-harness';

const adminToken = 'admin-token-for-refund-crash-0123456789';

/**
 * A refund's out_refund_no is stored before WeChat Pay is called, so no crash can lose it or
 * make it twice. Two crash points, each followed by kill -9 and a restart on the same database:
 * - after the row, before WeChat Pay got the request (here: its /secapi host unreachable, then the
 *   process killed): the restarted sweeper sends it, once;
 * - after WeChat Pay got the request, before its answer reached us (the answer delayed past the
 *   kill): the restarted sweeper resends the same out_refund_no, which WeChat Pay answers with the
 *   refund it already made.
 * Both end with exactly one refund at WeChat Pay and the order refunded in our books.
 */
describe('crash: kill -9 the BFF around a refund call', () => {
  const summary = new SuiteSummary('reliability:refund-crash');
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      name: 'refund-crash',
      notifyTimeScale: 0.001,
      bffEnv: { LOG_LEVEL: 'warn', ADMIN_TOKEN: adminToken, SWEEPER_INTERVAL_MS: '200', REFUND_QUERY_AFTER_SECONDS: '1', WXPAY_MAX_ATTEMPTS: '1', WXPAY_TIMEOUT_MS: '20000' },
    });
  }, 180_000);
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  const paidOrder = async () => {
    const buyer = await stack.login();
    const created = expectOk(await buyer.createOrder({ items: [{ productId: 'kettle', quantity: 1 }] }));
    expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    await eventually(async () => ((await stack.emulator.deliveries()).some((d) => d.outTradeNo === created.order.outTradeNo && d.acked) ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the payment notification acked',
    });
    return created.order;
  };
  const requestRefund = (orderId: string, amountFen: number) =>
    fetch(`${stack.bffUrl}${apiPath(adminRoutes.refundOrder, { id: orderId })}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'idempotency-key': `crash-${orderId}` },
      body: JSON.stringify({ amountFen }),
    });
  let db: ReturnType<Stack['database']> | undefined;
  const database = () => (db ??= stack.database());
  const orderStatus = (outTradeNo: string) => database().order(outTradeNo)?.status;
  const refundRows = (orderId: string) => database().refunds(orderId).map(({ out_refund_no, status }) => ({ out_refund_no, status }));

  it('killed after the refund row, before WeChat Pay got it: sent once after the restart', async () => {
    summary.try('secapi unreachable, refund stored as requested, kill -9, restart with WeChat Pay reachable');
    const order = await paidOrder();
    await stack.restartBff({ crash: false, env: { WXPAY_SECAPI_BASE_URL: 'https://127.0.0.1:9' } });
    const answer = await requestRefund(order.id, order.payableFen);
    expect(answer.status).toBe(201);
    expect(((await answer.json()) as { refund: { status: string } }).refund.status).toBe('requested');
    expect(await stack.emulator.refunds(order.outTradeNo)).toEqual([]);
    await stack.restartBff({ crash: true, env: { WXPAY_SECAPI_BASE_URL: stack.emulatorSecureUrl } });
    await eventually(() => (orderStatus(order.outTradeNo) === 'refunded' ? true : undefined), { timeoutMs: 45_000, description: 'the order refunded after the restart' });
    const [stored] = refundRows(order.id);
    const atWeChat = await stack.emulator.refunds(order.outTradeNo);
    expect(atWeChat.map((r) => r.outRefundNo)).toEqual([stored?.out_refund_no]);
    expect(atWeChat[0]).toMatchObject({ refundFee: order.payableFen, refundStatus: 'SUCCESS' });
    summary.hold('one refund at WeChat Pay, with the stored out_refund_no; order refunded');
  }, 150_000);

  it('killed while WeChat Pay holds the answer: the resend gets the refund already made, never a second one', async () => {
    summary.try('refund processed but its answer held 60 s, kill -9 with the call in flight, restart');
    const order = await paidOrder();
    await stack.emulator.setFaults('refund', { answerDelayMs: 60_000, count: 1 });
    // Kept PROCESSING meanwhile, so no notification tells the BFF what its lost answer said.
    await stack.emulator.holdRefunds(true);
    const inFlight = requestRefund(order.id, order.payableFen).catch(() => null);
    // WeChat Pay has made the refund; its answer is still held when the process dies.
    await eventually(async () => ((await stack.emulator.refunds(order.outTradeNo)).length === 1 ? true : undefined), { timeoutMs: 20_000, description: 'the refund received by WeChat Pay' });
    expect(refundRows(order.id).map((r) => r.status)).toEqual(['requested']);
    await stack.bffProcess.kill9();
    await inFlight;
    await stack.emulator.clearFaults();
    await stack.restartBff({ crash: true });
    // The resend with the same out_refund_no is answered with the refund already made.
    await eventually(() => (refundRows(order.id)[0]?.status === 'processing' ? true : undefined), { timeoutMs: 30_000, description: 'the resent refund accepted' });
    expect(await stack.emulator.refunds(order.outTradeNo)).toHaveLength(1);
    await stack.emulator.holdRefunds(false);
    await eventually(() => (orderStatus(order.outTradeNo) === 'refunded' ? true : undefined), { timeoutMs: 60_000, description: 'the order refunded after the restart' });
    const [stored] = refundRows(order.id);
    const atWeChat = await stack.emulator.refunds(order.outTradeNo);
    expect(atWeChat.map((r) => r.outRefundNo)).toEqual([stored?.out_refund_no]);
    expect(refundRows(order.id)).toEqual([{ out_refund_no: stored?.out_refund_no, status: 'succeeded' }]);
    summary.hold('one refund at WeChat Pay; state converged after the restart');
  }, 150_000);
});
