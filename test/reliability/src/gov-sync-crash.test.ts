import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectOk, startStack, SuiteSummary, type Stack } from '@checkout/test-harness';

/**
 * Crash during a gov subsidy sync: WeChat Pay has received and recorded the REDEEM but holds its
 * answer when the BFF is killed with -9. The job's lease expires and the BFF sends it again: the
 * at-least-once resend must be the identical request (same bytes, so the same OAEP ciphertext),
 * and the job must end delivered exactly once.
 */
describe('crash: kill -9 the BFF while WeChat Pay holds the gov sync answer', () => {
  const summary = new SuiteSummary('reliability:gov-sync-crash');
  let stack: Stack;

  beforeAll(async () => {
    // A v3 timeout longer than the hold: the request is still in flight when the process dies.
    stack = await startStack({ name: 'gov-sync-crash', notifyTimeScale: 0.001, bffEnv: { LOG_LEVEL: 'warn', SWEEPER_ENABLED: '0', WXPAY_V3_TIMEOUT_MS: '120000' } });
  }, 180_000);
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  it('the REDEEM in flight at kill -9 is resent after its lease with identical bytes and ends delivered once', async () => {
    summary.try('gov sync answer held, kill -9 with the REDEEM in flight, restart, lease expires');
    const buyer = await stack.login();
    await stack.emulator.setFaults('govSync', { answerDelayMs: 120_000, count: 1 });
    const created = expectOk(
      await buyer.createOrder({
        items: [{ productId: 'fridge-510', quantity: 1 }],
        subsidy: { realName: '王五', identityDocumentType: 'ID_DOC_TYPE_ID_CARD', idCardNumber: '11010519491231002X', phoneNumber: '13712345678', receiveRegionCode: '110105', qualificationRegionCode: 110000 },
      }),
    );
    const { outTradeNo } = created.order;
    expect((await stack.emulator.cashier(created.payment, 'pay')).errMsg).toBe('requestPayment:ok');
    const syncsFor = async () => (await stack.emulator.govSyncs()).filter((record) => (record.body as { out_trade_no?: string }).out_trade_no === outTradeNo);
    await eventually(async () => ((await syncsFor()).length === 1 ? true : undefined), { timeoutMs: 30_000, description: 'the first gov sync received (answer held)' });

    const db = stack.database();
    const dedupeKey = `${outTradeNo}:CATE_STATE_REDEEM`;
    const jobs = (status?: string) =>
      status === undefined
        ? db.count('select count(*) from outbox_jobs where dedupe_key = ?', dedupeKey)
        : db.count('select count(*) from outbox_jobs where dedupe_key = ? and status = ?', dedupeKey, status);
    expect(jobs('delivering')).toBe(1);

    await stack.bffProcess.kill9();
    await stack.startBff();
    // The dead process leased the job for 60 s: move both clocks past it together (v3 signatures
    // carry timestamps that must agree within 5 minutes).
    await stack.emulator.advanceClock(61_000);
    await stack.shiftBffClock(61_000);
    await eventually(() => (jobs('delivered') === 1 ? true : undefined), { timeoutMs: 45_000, description: 'the job delivered after the restart' });
    // One more poll period: a third send would show up now.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const syncs = await syncsFor();
    expect(syncs).toHaveLength(2);
    const [first, resent] = syncs as [(typeof syncs)[number], (typeof syncs)[number]];
    // Same bytes: the body (OAEP ciphertext included) was built once and persisted, not rebuilt.
    expect(first.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(resent.bodySha256).toBe(first.bodySha256);
    expect(resent.body).toEqual(first.body);
    expect(resent.body).toMatchObject({ out_trade_no: outTradeNo, cate_state: 'CATE_STATE_REDEEM' });
    expect(jobs()).toBe(1);
    expect(jobs('delivered')).toBe(1);
    summary.hold('one REDEEM job, delivered once; WeChat Pay saw 2 identical requests (same SHA-256)');
  }, 150_000);
});
