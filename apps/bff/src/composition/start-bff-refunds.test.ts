import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes, apiPath, apiRoutes, errorBodySchema, type AdminRefund, type Order, type SubsidyBuyer } from '@checkout/protocol/contract';
import { buildEncryptedRefundNotification, devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';

afterAll(releaseTestPostgres);

const adminToken = 'admin-token-for-refund-tests-0123456789';
const admin = { authorization: `Bearer ${adminToken}` };

// Refunds through the running BFF and the emulator's /secapi over mutual TLS, on both databases.
describe.each(testBackends)('refunds through the running BFF on %s', (backend) => {
  let stack: TestStack;
  let database: FreshDatabase;
  let token: string;
  let keys = 0;

  beforeAll(async () => {
    database = await freshDatabase(backend, 'refunds');
    stack = await startTestStack({ ...database.env, ADMIN_TOKEN: adminToken, OUTBOX_ENABLED: '0' });
    expect(stack.bff.database.dialect).toBe(backend);
    token = await stack.login();
  });
  afterAll(async () => {
    await stack?.close();
    database?.drop();
  });

  const refund = (orderId: string, body: unknown, key: string | null = `key-${(keys += 1)}`) =>
    stack.api(apiPath(adminRoutes.refundOrder, { id: orderId }), { json: body, headers: { ...admin, ...(key === null ? {} : { 'idempotency-key': key }) } });
  const refundBody = async (response: Response): Promise<AdminRefund> => adminRoutes.refundOrder.response.parse(await response.json()).refund;
  const buyerOrder = async (id: string): Promise<Order> => apiRoutes.getOrder.response.parse(await (await stack.api(apiPath(apiRoutes.getOrder, { id }), { token })).json()).order;
  const refundDelivered = (outRefundNo: string) => stack.emulator.control.waitForDeliveries((d) => d.kind === 'refund' && d.outRefundNo === outRefundNo && d.acked, 10_000);
  const paidKettles = (quantity: number) => stack.createAndPay(token, { items: [{ productId: 'kettle', quantity }] });

  it('pay → partial refund → notification → second refund (a minute later, as WeChat Pay requires) → fully refunded', async () => {
    const { order } = await paidKettles(2);
    const first = await refund(order.id, { amountFen: 1000, reason: '少发一件配件' });
    expect(first.status).toBe(201);
    const accepted = await refundBody(first);
    expect(accepted).toMatchObject({ status: 'processing', refundFen: 1000, totalFen: order.payableFen, source: 'operator' });
    expect(stack.emulator.control.refund(accepted.outRefundNo)).toMatchObject({ refundFee: 1000, totalFee: order.payableFen, refundDesc: '少发一件配件' });
    await refundDelivered(accepted.outRefundNo);

    const partly = await buyerOrder(order.id);
    expect(partly).toMatchObject({ status: 'partially_refunded', refundedFen: 1000 });
    expect(partly.refunds).toEqual([expect.objectContaining({ amountFen: 1000, state: 'succeeded' })]);
    expect(stack.emulator.control.order(order.outTradeNo)?.tradeState).toBe('REFUND');

    // Within a minute of the first, WeChat Pay answers FREQUENCY_LIMITED: kept, resent later with the same number.
    const rest = order.payableFen - 1000;
    const second = await refundBody(await refund(order.id, { amountFen: rest }));
    expect(second).toMatchObject({ status: 'requested', lastError: 'FREQUENCY_LIMITED' });
    expect((await buyerOrder(order.id)).refunds.map((r) => r.state)).toEqual(['succeeded', 'processing']);
    // payitil/report covers refunds like the other v2 calls (level 1: the failed call is reported).
    await stack.bff.reporter.drain();
    expect(stack.emulator.control.reports().some((report) => report.fields.interface_url?.endsWith('/secapi/pay/refund') && report.fields.err_code === 'FREQUENCY_LIMITED')).toBe(true);
    stack.emulator.control.advanceClock(61_000);
    const sweep = await stack.bff.sweeper.runOnce();
    expect(sweep.refunds).toMatchObject({ resent: 1, settled: 1 });
    await refundDelivered(second.outRefundNo);
    const done = await buyerOrder(order.id);
    expect(done).toMatchObject({ status: 'refunded', refundedFen: order.payableFen });
    expect(stack.emulator.control.refunds(order.outTradeNo).map((r) => [r.outRefundNo, r.refundStatus])).toEqual([
      [accepted.outRefundNo, 'SUCCESS'],
      [second.outRefundNo, 'SUCCESS'],
    ]);
    const listed = adminRoutes.listOrderRefunds.response.parse(await (await stack.api(apiPath(adminRoutes.listOrderRefunds, { id: order.id }), { headers: admin })).json());
    expect(listed.refunds.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('refuses more than what is left, an unpaid order, a missing or reused Idempotency-Key and a missing admin token, with stable codes', async () => {
    const { order } = await paidKettles(1);
    const code = async (response: Response) => ({ status: response.status, code: errorBodySchema.parse(await response.json()).error.code });
    expect(await code(await refund(order.id, { amountFen: order.payableFen + 1 }))).toEqual({ status: 409, code: 'REFUND_EXCEEDS_REMAINING' });
    const created = await stack.api(apiRoutes.createOrder.path, { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
    const unpaid = apiRoutes.createOrder.response.parse(await created.json()).order;
    expect(await code(await refund(unpaid.id, { amountFen: 1 }))).toEqual({ status: 409, code: 'ORDER_NOT_REFUNDABLE' });
    expect(await code(await refund('no-such-order', { amountFen: 1 }))).toEqual({ status: 404, code: 'ORDER_NOT_FOUND' });
    expect(await code(await refund(order.id, { amountFen: 1 }, null))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await code(await refund(order.id, { amountFen: 0 }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await code(await stack.api(apiPath(adminRoutes.refundOrder, { id: order.id }), { json: { amountFen: 1 }, headers: { 'idempotency-key': 'k' } }))).toEqual({ status: 401, code: 'ADMIN_UNAUTHENTICATED' });
    // A buyer's session token is not an admin token.
    expect((await stack.api(apiPath(adminRoutes.refundOrder, { id: order.id }), { json: { amountFen: 1 }, token, headers: { 'idempotency-key': 'k' } })).status).toBe(401);

    const once = await refund(order.id, { amountFen: 100 }, 'same-key');
    const again = await refund(order.id, { amountFen: 100 }, 'same-key');
    expect([once.status, again.status]).toEqual([201, 200]);
    expect((await refundBody(again)).outRefundNo).toBe((await refundBody(once)).outRefundNo);
    expect(await code(await refund(order.id, { amountFen: 200 }, 'same-key'))).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(stack.emulator.control.refunds(order.outTradeNo)).toHaveLength(1);
  });

  it('a refund started in the merchant portal arrives as a notification for a number we never created and is recorded against its order', async () => {
    const { order } = await paidKettles(1);
    const portal = stack.emulator.control.portalRefund({ outTradeNo: order.outTradeNo, refundFee: 300, notifyUrl: `${stack.bff.url}/wxpay/refund-notify` });
    await refundDelivered(portal.outRefundNo);
    const seen = await buyerOrder(order.id);
    expect(seen).toMatchObject({ status: 'partially_refunded', refundedFen: 300 });
    const listed = adminRoutes.listOrderRefunds.response.parse(await (await stack.api(apiPath(adminRoutes.listOrderRefunds, { id: order.id }), { headers: admin })).json());
    expect(listed.refunds).toEqual([expect.objectContaining({ source: 'merchant_portal', outRefundNo: portal.outRefundNo, refundId: portal.refundId, status: 'succeeded', refundFen: 300 })]);
    // What the portal took counts: only the rest can still be refunded here.
    expect((await refund(order.id, { amountFen: order.payableFen - 299 })).status).toBe(409);
  });

  it('a payment that lands on a cancelled order is refunded automatically, with a log line and a metric', async () => {
    const created = await stack.api(apiRoutes.createOrder.path, { token, json: { items: [{ productId: 'kettle', quantity: 1 }] } });
    const { order, payment } = apiRoutes.createOrder.response.parse(await created.json());
    expect((await stack.api(apiPath(apiRoutes.cancelOrder, { id: order.id }), { method: 'POST', token })).status).toBe(200);
    const from = stack.logLines.length;
    expect((await stack.emulator.control.cashier({ appId: devMerchant.appId, ...payment }, 'pay')).errMsg).toBe('requestPayment:ok');
    await stack.emulator.control.waitForDeliveries((d) => d.outTradeNo === order.outTradeNo && d.kind === 'pay' && d.acked, 10_000);
    expect(stack.logLines.slice(from).some((line) => line.includes('refunded automatically'))).toBe(true);

    const sweep = await stack.bff.sweeper.runOnce();
    expect(sweep.refunds.resent).toBe(1);
    const [auto] = stack.emulator.control.refunds(order.outTradeNo);
    expect(auto).toMatchObject({ refundFee: order.payableFen, totalFee: order.payableFen });
    await refundDelivered(auto?.outRefundNo ?? '');
    expect(await buyerOrder(order.id)).toMatchObject({ status: 'refunded', refundedFen: order.payableFen });
    const anomalies = await stack.bff.database.db.selectFrom('payment_anomalies').select(['kind', 'status']).where('order_id', '=', order.id).execute();
    expect(anomalies).toEqual([{ kind: 'paid_after_close', status: 'refunded' }]);
    const metrics = await (await fetch(`${stack.bff.url}/metrics`)).text();
    expect(metrics).toMatch(/bff_refund_transitions_total\{transition="succeed",source="anomaly"\} 1/);
  });

  it('50 concurrent copies of one refund notification are applied once', async () => {
    const { order } = await paidKettles(1);
    stack.emulator.control.holdRefunds(true);
    let accepted: AdminRefund;
    try {
      accepted = await refundBody(await refund(order.id, { amountFen: 500 }));
    } finally {
      stack.emulator.control.holdRefunds(false);
    }
    const body = buildEncryptedRefundNotification({
      out_trade_no: order.outTradeNo,
      transaction_id: accepted.transactionId,
      out_refund_no: accepted.outRefundNo,
      refund_id: accepted.refundId ?? '',
      total_fee: String(order.payableFen),
      refund_fee: '500',
    });
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${stack.bff.url}/wxpay/refund-notify`, { method: 'POST', body }).then(async (r) => [r.status, await r.text()] as const)));
    expect(answers.every(([status, text]) => status === 200 && text.includes('SUCCESS'))).toBe(true);
    const seen = await buyerOrder(order.id);
    expect(seen).toMatchObject({ status: 'partially_refunded', refundedFen: 500 });
    const events = await stack.bff.database.db.selectFrom('order_events').select('kind').where('order_id', '=', order.id).where('kind', '=', 'refunded').execute();
    expect(events).toHaveLength(1);
    // A notification whose amounts do not match the stored refund is refused and changes nothing.
    const forged = buildEncryptedRefundNotification({ out_trade_no: order.outTradeNo, transaction_id: accepted.transactionId, out_refund_no: accepted.outRefundNo, total_fee: String(order.payableFen), refund_fee: '499' });
    expect((await fetch(`${stack.bff.url}/wxpay/refund-notify`, { method: 'POST', body: forged })).status).toBe(400);
    // Encrypted with another key: not ours.
    const foreign = buildEncryptedRefundNotification({ out_refund_no: accepted.outRefundNo }, { apiKey: 'another0apikey0000000000000000xy' });
    expect((await fetch(`${stack.bff.url}/wxpay/refund-notify`, { method: 'POST', body: foreign })).status).toBe(400);
    // Larger than any notification WeChat Pay sends: refused before it is read in full.
    const oversize = await fetch(`${stack.bff.url}/wxpay/refund-notify`, { method: 'POST', body: `<xml>${'x'.repeat(70_000)}</xml>` });
    expect([oversize.status, await oversize.text()]).toEqual([413, expect.stringContaining('FAIL')]);
    expect((await buyerOrder(order.id)).refundedFen).toBe(500);
  });

  it('a subsidy order refunded at WeChat Pay enqueues the gov sync REFUND with the real refund_id, after the REDEEM', async () => {
    const buyer: SubsidyBuyer = { realName: '王五', identityDocumentType: 'ID_DOC_TYPE_ID_CARD', idCardNumber: '110101199003078515', phoneNumber: '13800138000', receiveRegionCode: '110101', qualificationRegionCode: 110100 };
    const { order } = await stack.createAndPay(token, { items: [{ productId: 'fridge-510', quantity: 1 }], subsidy: buyer });
    const accepted = await refundBody(await refund(order.id, { amountFen: order.payableFen }));
    await refundDelivered(accepted.outRefundNo);
    const jobs = await stack.bff.database.db.selectFrom('outbox_jobs').select(['dedupe_key', 'after_dedupe_key']).where('dedupe_key', 'like', `${order.outTradeNo}:%`).orderBy('dedupe_key').execute();
    expect(jobs).toEqual([
      { dedupe_key: `${order.outTradeNo}:CATE_STATE_REDEEM`, after_dedupe_key: null },
      { dedupe_key: `${order.outTradeNo}:CATE_STATE_REFUND`, after_dedupe_key: `${order.outTradeNo}:CATE_STATE_REDEEM` },
    ]);
    expect((await stack.bff.outbox.runOnce()).delivered).toBe(1);
    expect((await stack.bff.outbox.runOnce()).delivered).toBe(1);
    const refundSync = stack.emulator.control.govSyncs().find((sync) => sync.body.out_trade_no === order.outTradeNo && sync.body.cate_state === 'CATE_STATE_REFUND');
    expect(refundSync?.body.refund_id).toBe(stack.emulator.control.refund(accepted.outRefundNo)?.refundId);
  });
});
