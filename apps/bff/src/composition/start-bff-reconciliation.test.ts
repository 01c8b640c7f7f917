import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes, apiPath, apiRoutes } from '@checkout/protocol/contract';
import { billDateOf, billDayRange } from '@checkout/protocol/wxpay';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';

afterAll(releaseTestPostgres);

const adminToken = 'admin-token-for-reconciliation-0123456789';
const admin = { authorization: `Bearer ${adminToken}` };

// A day of trade reconciled against the emulator's bill of that day, on both databases.
describe.each(testBackends)('daily reconciliation through the running BFF on %s', (backend) => {
  let stack: TestStack;
  let database: FreshDatabase;

  beforeAll(async () => {
    database = await freshDatabase(backend, 'reconciliation');
    stack = await startTestStack({ ...database.env, ADMIN_TOKEN: adminToken, OUTBOX_ENABLED: '0' });
  });
  afterAll(async () => {
    await stack?.close();
    database?.drop();
  });

  const run = async (billDate: string, force = false) =>
    adminRoutes.runReconciliation.response.parse(await (await stack.api(adminRoutes.runReconciliation.path, { json: { billDate, force }, headers: admin })).json());
  const discrepancies = async () => adminRoutes.listDiscrepancies.response.parse(await (await stack.api(adminRoutes.listDiscrepancies.path, { headers: admin })).json()).discrepancies;

  it('a day with payments, a lost notification, a refund, a portal refund and an altered amount reconciles to exactly those discrepancies', async () => {
    const token = await stack.login();
    const billDate = billDateOf(stack.emulator.control.now());
    const kettle = { items: [{ productId: 'kettle', quantity: 1 }] };
    const first = (await stack.createAndPay(token, kettle)).order;
    const second = (await stack.createAndPay(token, kettle)).order;
    const third = (await stack.createAndPay(token, kettle)).order;
    // Paid at WeChat Pay, notification lost.
    const created = await stack.api(apiRoutes.createOrder.path, { token, json: kettle });
    const lost = apiRoutes.createOrder.response.parse(await created.json()).order;
    stack.emulator.control.payWithoutNotify(lost.outTradeNo);
    // A refund through the BFF, and one in the merchant portal nobody told us about.
    const refunded = await stack.api(apiPath(adminRoutes.refundOrder, { id: first.id }), { json: { amountFen: 500 }, headers: { ...admin, 'idempotency-key': 'r-1' } });
    const ours = adminRoutes.refundOrder.response.parse(await refunded.json()).refund;
    await stack.emulator.control.waitForDeliveries((d) => d.kind === 'refund' && d.outRefundNo === ours.outRefundNo && d.acked, 10_000);
    const portal = stack.emulator.control.portalRefund({ outTradeNo: second.outTradeNo, refundFee: 300, notifyUrl: '' });
    stack.emulator.control.alterBillAmount(third.outTradeNo, third.payableFen + 1);

    // Before the bill is ready WeChat Pay answers Bill Creating: the run waits.
    expect(await run(billDate)).toMatchObject({ outcome: 'waiting' });
    const readyAt = billDayRange(billDate).end.getTime() + 10 * 3_600_000;
    stack.emulator.control.advanceClock(readyAt - stack.emulator.control.now().getTime() + 60_000);

    const result = await run(billDate);
    expect(result).toMatchObject({ outcome: 'succeeded', newDiscrepancies: 3, recovered: 1 });
    const found = (await discrepancies()).map((d) => [d.kind, d.outTradeNo, d.outRefundNo, d.status, d.ourFen, d.billFen]).sort();
    expect(found).toEqual(
      [
        ['amount_mismatch', third.outTradeNo, null, 'open', third.payableFen, third.payableFen + 1],
        ['paid_not_here', lost.outTradeNo, null, 'recovered', lost.payableFen, lost.payableFen],
        ['refund_not_here', second.outTradeNo, portal.outRefundNo, 'open', null, 300],
      ].sort(),
    );
    // The lost payment was applied through orderquery, not from the bill.
    expect(await stack.bff.database.db.selectFrom('orders').select('status').where('id', '=', lost.id).executeTakeFirstOrThrow()).toEqual({ status: 'paid' });
    const [runView] = adminRoutes.listReconciliationRuns.response.parse(await (await stack.api(adminRoutes.listReconciliationRuns.path, { headers: admin })).json()).runs;
    expect(runView).toMatchObject({ billDate, status: 'succeeded', discrepancies: 3 });
    expect(runView?.totals?.billPayments).toEqual({ count: 4, fen: first.payableFen + second.payableFen + third.payableFen + 1 + lost.payableFen });
    expect(runView?.totals?.billRefunds).toEqual({ count: 2, fen: 800 });
    expect(runView?.totals?.ourRefunds).toEqual({ count: 1, fen: 500 });
    const metrics = await (await fetch(`${stack.bff.url}/metrics`)).text();
    expect(metrics).toMatch(/bff_reconciliation_discrepancies_total\{kind="refund_not_here"\} 1/);
    expect(stack.logLines.some((line) => line.includes('"level":50') && line.includes('reconciliation found money discrepancies'))).toBe(true);

    // Rerunning the day adds nothing; a day already done is not run again unless forced.
    expect(await run(billDate)).toMatchObject({ outcome: 'already_done' });
    expect(await run(billDate, true)).toMatchObject({ outcome: 'succeeded', newDiscrepancies: 0 });
    // Two runs at once (two instances): one takes the day's lease, the other stays out.
    const together = (await Promise.all([run(billDate, true), run(billDate, true)])).map((r) => r.outcome).sort();
    expect(together).toEqual(['busy', 'succeeded']);

    // An operator resolves one with a note.
    const open = (await discrepancies()).find((d) => d.kind === 'refund_not_here');
    const resolve = await stack.api(apiPath(adminRoutes.resolveDiscrepancy, { id: open?.id ?? '' }), { json: { note: '商户平台退款，已核对' }, headers: admin });
    expect(adminRoutes.resolveDiscrepancy.response.parse(await resolve.json()).discrepancy).toMatchObject({ status: 'resolved', resolutionNote: '商户平台退款，已核对' });
    expect((await stack.api(apiPath(adminRoutes.resolveDiscrepancy, { id: open?.id ?? '' }), { json: { note: 'again' }, headers: admin })).status).toBe(404);
    expect((await stack.api(adminRoutes.listDiscrepancies.path)).status).toBe(401);
  });

  it('a corrupt bill (its summary disagrees with its rows) is refused: nothing recorded, the day retried', async () => {
    const billDate = billDateOf(new Date(stack.emulator.control.now().getTime() - 86_400_000));
    stack.emulator.control.corruptBillSummary(billDate);
    const before = (await discrepancies()).length;
    expect(await run(billDate, true)).toMatchObject({ outcome: 'failed', reason: 'BILL_TOTAL_MISMATCH' });
    expect(await discrepancies()).toHaveLength(before);
    const runs = adminRoutes.listReconciliationRuns.response.parse(await (await stack.api(adminRoutes.listReconciliationRuns.path, { headers: admin })).json()).runs;
    expect(runs.find((r) => r.billDate === billDate)).toMatchObject({ status: 'failed', lastError: 'BILL_TOTAL_MISMATCH' });
  });
});
