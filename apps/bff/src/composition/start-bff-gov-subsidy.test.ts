import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, orderListResponseSchema, type SubsidyBuyer } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { listHeldOutboxJobs } from '../outbox/list-held-outbox-jobs';
import { asOutboxDb } from '../outbox/outbox-table';
import { retryDeadOutboxJob } from '../outbox/retry-dead-outbox-job';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';

afterAll(releaseTestPostgres);

// Outbox enqueue in the paid transaction, claims by the worker and goods returns on both databases.
describe.each(testBackends)('gov subsidy sync through the running BFF on %s', (backend) => {
  // The gov sync through the real BFF: subsidy checkout → paid transition → outbox → v3 gov sync at the
  // emulator (which decrypts the OAEP fields with the WeChat Pay private key), admin goods return.

  const buyer: SubsidyBuyer = {
    realName: '李思远',
    identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
    idCardNumber: '44030419900101123X',
    phoneNumber: '13987654321',
    receiveRegionCode: '440304',
    qualificationRegionCode: 440300,
  };
  const adminToken = 'admin-token-for-tests-0123456789abcdef';
  const secrets = [
    buyer.realName,
    buyer.idCardNumber,
    buyer.phoneNumber,
    devMerchant.apiKey,
    devMerchant.apiV3Key,
    devMerchant.appSecret,
    adminToken,
    // A line from the middle of each private key's base64.
    devMerchant.merchantPrivateKeyPem.split('\n')[3] ?? 'PRIVATE',
    devMerchant.platformPrivateKeyPem.split('\n')[3] ?? 'PRIVATE',
  ];

  /** RFC 3339 in Beijing time, built here independently of the BFF's formatter. */
  const beijing = (iso: string): string => `${new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

  const subsidyCart = { items: [{ productId: 'fridge-510', quantity: 1 }, { productId: 'kettle', quantity: 1 }], subsidy: buyer };

  let stack: TestStack;

  let database: FreshDatabase;
  let token: string;
  const admin = (orderId: string, body: unknown, auth: string | null = `Bearer ${adminToken}`) =>
    stack.api(`/admin/orders/${orderId}/goods-return`, { json: body, headers: auth === null ? {} : { authorization: auth } });
  const syncsFor = (outTradeNo: string) => stack.emulator.control.govSyncs().filter((sync) => sync.body.out_trade_no === outTradeNo);
  const jobsFor = (outTradeNo: string) =>
    stack.bff.database.db.selectFrom('outbox_jobs').select(['dedupe_key', 'status', 'attempts', 'last_error', 'payload']).where('dedupe_key', 'like', `${outTradeNo}:%`).execute();

  beforeAll(async () => {
    // Outbox driven by runOnce() here (deterministic); the background loop has its own test below.
    database = await freshDatabase(backend, 'gov_subsidy');
    stack = await startTestStack({ ...database.env, OUTBOX_ENABLED: '0', ADMIN_TOKEN: adminToken });
    expect(stack.bff.database.dialect).toBe(backend);
    token = await stack.login();
  });
  afterEach(async () => {
    stack.emulator.control.clearFaults();
    stack.emulator.control.setNotifyOptions({ duplicates: 1, signTest: false });
    // Tests move the shared clock by hours: a fresh session each time.
    token = await stack.login();
  });
  afterAll(async () => {
    // Over every test in this file: no personal data, key or token in any log line.
    const logs = stack.logLines.join('\n');
    expect(stack.logLines.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    await stack.close();
    database.drop();
  });

  describe('gov subsidy sync through the running BFF', () => {
    it('refuses a cart with two subsidised appliances with SUBSIDY_NOT_ELIGIBLE (one appliance per sync)', async () => {
      const response = await stack.api('/api/orders', {
        token,
        json: { items: [{ productId: 'fridge-510', quantity: 1 }, { productId: 'washer-10kg', quantity: 1 }], subsidy: buyer },
      });
      expect(response.status).toBe(422);
      const { error } = errorBodySchema.parse(await response.json());
      expect(error.code).toBe('SUBSIDY_NOT_ELIGIBLE');
      expect(error.message).toMatch(/only one subsidised appliance/);
      // Without a claim the same cart is an ordinary order.
      const plain = await stack.api('/api/orders', { token, json: { items: [{ productId: 'fridge-510', quantity: 1 }, { productId: 'washer-10kg', quantity: 1 }] } });
      expect(plain.status).toBe(201);
    });

    it('a paid subsidy order is synced exactly once (however many notification copies), with the right fields and PII WeChat Pay can decrypt', async () => {
      stack.emulator.control.setNotifyOptions({ duplicates: 5 });
      const { order } = await stack.createAndPay(token, subsidyCart);
      // Independent arithmetic: 20 % of 4299.00 = 859.80, under the 2000 yuan cap.
      expect(order).toMatchObject({ totalFen: 4_299_00 + 89_00, subsidyDiscountFen: 85_980, payableFen: 4_299_00 + 89_00 - 85_980 });

      // Enqueued by the paid transaction, once.
      const jobs = await jobsFor(order.outTradeNo);
      expect(jobs.map((job) => [job.dedupe_key, job.status])).toEqual([[`${order.outTradeNo}:CATE_STATE_REDEEM`, 'pending']]);
      for (const secret of secrets.slice(0, 3)) expect(jobs[0]?.payload).not.toContain(secret);

      expect(await stack.bff.outbox.runOnce()).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 });
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 0 });

      const paidView = await (await stack.api(`/api/orders/${order.id}`, { token })).json();
      const paidAt = (paidView as { order: { paidAt: string } }).order.paidAt;
      const syncs = syncsFor(order.outTradeNo);
      expect(syncs).toHaveLength(1);
      expect(syncs[0]).toMatchObject({ serial: devMerchant.platformPublicKeyId, orderKnown: true, orderPaid: true, mchId: devMerchant.mchId });
      expect(syncs[0]?.body).toEqual({
        out_trade_no: order.outTradeNo,
        mch_order_id: order.id,
        cate_state: 'CATE_STATE_REDEEM',
        transaction_time: beijing(paidAt),
        order_amount: 4_299_00 + 89_00,
        discount_amount: 85_980,
        appliance_id: 1,
        brand: '示例电器',
        energy_grade: 'FIRST_LEVEL',
        receive_region_code: buyer.receiveRegionCode,
        qualification_region_code: buyer.qualificationRegionCode,
        identity_document_type: 'ID_DOC_TYPE_ID_CARD',
        // Decrypted by the emulator with the WeChat Pay private key.
        real_name: buyer.realName,
        id_card_number: buyer.idCardNumber,
        phone_number: buyer.phoneNumber,
        seller_name: '示例电器销售有限公司',
        license_number: '91440300MA5F000000',
        mch_name: devMerchant.merchantName,
        sale_model: 'SALE_MODEL_ONLINE',
      });
    });

    it('buyer details are stored only encrypted and never returned by the API', async () => {
      const { order } = await stack.createAndPay(token, subsidyCart);
      const stored = await stack.bff.database.db.selectFrom('order_subsidies').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
      const single = await (await stack.api(`/api/orders/${order.id}`, { token })).text();
      const list = await (await stack.api('/api/orders', { token })).text();
      expect(orderListResponseSchema.parse(JSON.parse(list)).orders.some((o) => o.id === order.id)).toBe(true);
      for (const secret of [buyer.realName, buyer.idCardNumber, buyer.phoneNumber]) {
        expect(JSON.stringify(stored)).not.toContain(secret);
        expect(single).not.toContain(secret);
        expect(list).not.toContain(secret);
      }
      await stack.bff.outbox.runOnce();
    });

    it('500, 429 and a bad response signature for a while: retried with backoff, delivered once after recovery', async () => {
      const { order } = await stack.createAndPay(token, subsidyCart);
      const rounds: [string, Parameters<typeof stack.emulator.control.setFaults>[1]][] = [
        ['HTTP_500', { httpStatus: 500, count: 1 }],
        ['HTTP_429', { httpStatus: 429, count: 1 }],
        ['UNVERIFIED:SIGN_INVALID', { corruptSignatureRate: 1, count: 1 }],
      ];
      for (const [error, fault] of rounds) {
        stack.emulator.control.setFaults('govSync', fault);
        expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, retried: 1, delivered: 0 });
        const [job] = await jobsFor(order.outTradeNo);
        expect(job?.status).toBe('pending');
        expect(job?.last_error).toContain(error);
        // Backoff: nothing is due until the (shared) clock moves past it.
        expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 0 });
        stack.emulator.control.advanceClock(3_600_000);
      }
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 0 });
      expect((await jobsFor(order.outTradeNo)).map((job) => [job.status, job.attempts, job.last_error])).toEqual([['delivered', 4, null]]);
      // 500/429 were answered before WeChat Pay read the request. The copy whose answer failed
      // verification did arrive; we could not know, so the same body went again: same fields both times.
      const syncs = syncsFor(order.outTradeNo);
      expect(syncs).toHaveLength(2);
      expect(new Set(syncs.map((sync) => JSON.stringify(sync.body))).size).toBe(1);
    });

    it('admin goods return: authenticated, validated, enqueues CATE_STATE_REFUND with refund_id once', async () => {
      const { order } = await stack.createAndPay(token, subsidyCart);
      await stack.bff.outbox.runOnce();
      const refund = { refundId: 'RF20261125000001', returnedAt: '2026-11-26T10:00:00+08:00' };

      const codeOf = async (response: Response) => [response.status, errorBodySchema.parse(await response.json()).error.code];
      expect(await codeOf(await admin(order.id, refund, null))).toEqual([401, 'ADMIN_UNAUTHENTICATED']);
      expect(await codeOf(await admin(order.id, refund, `Bearer ${adminToken.slice(0, -1)}x`))).toEqual([401, 'ADMIN_UNAUTHENTICATED']);
      expect(await codeOf(await admin(order.id, { refundId: 'bad id!' }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await codeOf(await admin(order.id, { ...refund, extra: 1 }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await codeOf(await admin('ord_doesnotexist0000000000', refund))).toEqual([404, 'ORDER_NOT_FOUND']);
      const plain = await stack.createAndPay(token, { items: [{ productId: 'kettle', quantity: 1 }] });
      expect(await codeOf(await admin(plain.order.id, refund))).toEqual([422, 'SUBSIDY_NOT_ELIGIBLE']);
      const unpaid = await stack.api('/api/orders', { token, json: subsidyCart });
      const unpaidId = ((await unpaid.json()) as { order: { id: string } }).order.id;
      expect(await codeOf(await admin(unpaidId, refund))).toEqual([409, 'ORDER_NOT_REFUNDABLE']);

      const first = await admin(order.id, refund);
      expect([first.status, await first.json()]).toEqual([202, { outcome: 'enqueued' }]);
      const again = await admin(order.id, { refundId: 'RF20261125000001' });
      expect([again.status, await again.json()]).toEqual([200, { outcome: 'duplicate' }]);

      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      const refunds = syncsFor(order.outTradeNo).filter((sync) => sync.body.cate_state === 'CATE_STATE_REFUND');
      expect(refunds).toHaveLength(1);
      expect(refunds[0]?.body).toMatchObject({ refund_id: 'RF20261125000001', transaction_time: '2026-11-26T10:00:00+08:00', real_name: buyer.realName, discount_amount: 85_980 });
    });

    it('a goods return while the REDEEM is in backoff after an HTTP 500 reaches WeChat Pay after the REDEEM, each exactly once', async () => {
      stack.emulator.control.setFaults('govSync', { httpStatus: 500, count: 1 });
      const { order } = await stack.createAndPay(token, subsidyCart);
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, retried: 1, delivered: 0 });
      const first = await admin(order.id, { refundId: 'RF20261125000002' });
      expect([first.status, await first.json()]).toEqual([202, { outcome: 'enqueued' }]);

      // The REFUND is due at once but held: its REDEEM sits in backoff.
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 0 });
      expect((await jobsFor(order.outTradeNo)).map((job) => [job.dedupe_key, job.status, Number(job.attempts)]).sort()).toEqual([
        [`${order.outTradeNo}:CATE_STATE_REDEEM`, 'pending', 1],
        [`${order.outTradeNo}:CATE_STATE_REFUND`, 'pending', 0],
      ]);
      expect(syncsFor(order.outTradeNo)).toEqual([]);

      // Both due now: one round hands out the REDEEM only, the next the REFUND.
      stack.emulator.control.advanceClock(3_600_000);
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(syncsFor(order.outTradeNo).map((sync) => sync.body.cate_state)).toEqual(['CATE_STATE_REDEEM']);
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 0 });
      expect(syncsFor(order.outTradeNo).map((sync) => sync.body.cate_state)).toEqual(['CATE_STATE_REDEEM', 'CATE_STATE_REFUND']);
      expect((await jobsFor(order.outTradeNo)).map((job) => job.status)).toEqual(['delivered', 'delivered']);
    });

    it('a dead REDEEM holds its REFUND back (visible to the operator) until the REDEEM is re-queued and delivered', async () => {
      // One attempt allowed: the first 500 dead-letters the REDEEM.
      await stack.restartBff({ OUTBOX_ENABLED: '0', OUTBOX_MAX_ATTEMPTS: '1' });
      try {
        stack.emulator.control.setFaults('govSync', { httpStatus: 500, count: 1 });
        const { order } = await stack.createAndPay(token, subsidyCart);
        expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, dead: 1 });
        expect((await admin(order.id, { refundId: 'RF20261125000003' })).status).toBe(202);
        stack.emulator.control.advanceClock(3_600_000);
        expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 0 });

        const outbox = asOutboxDb(stack.bff.database.db);
        const held = await listHeldOutboxJobs(outbox, { kind: 'gov_subsidy_sync' });
        expect(held.map((job) => [job.dedupeKey, job.predecessor.dedupeKey, job.predecessor.status])).toEqual([
          [`${order.outTradeNo}:CATE_STATE_REFUND`, `${order.outTradeNo}:CATE_STATE_REDEEM`, 'dead'],
        ]);
        expect(held[0]?.predecessor.lastError).toContain('HTTP_500');
        expect(syncsFor(order.outTradeNo)).toEqual([]);

        // The operator's fix: re-queue the dead REDEEM; the REFUND follows it.
        expect(await retryDeadOutboxJob(outbox, held[0]?.predecessor.id ?? '', stack.emulator.control.now())).toBe(true);
        expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
        expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
        expect(syncsFor(order.outTradeNo).map((sync) => sync.body.cate_state)).toEqual(['CATE_STATE_REDEEM', 'CATE_STATE_REFUND']);
        expect(await listHeldOutboxJobs(outbox)).toEqual([]);
      } finally {
        await stack.restartBff({ OUTBOX_ENABLED: '0' });
      }
    });

    it('an order paid while sync was off has no REDEEM to reverse: its goods return is refused even once sync is on', async () => {
      await stack.restartBff({ OUTBOX_ENABLED: '0', GOV_SUBSIDY_SYNC_ENABLED: '0' });
      const { order } = await stack.createAndPay(token, subsidyCart);
      await stack.restartBff({ OUTBOX_ENABLED: '0' });
      const response = await admin(order.id, { refundId: 'RF20261125000004' });
      expect(response.status).toBe(422);
      const { error } = errorBodySchema.parse(await response.json());
      expect(error.code).toBe('SUBSIDY_NOT_ELIGIBLE');
      expect(error.message).toContain('CATE_STATE_REDEEM');
      expect(await jobsFor(order.outTradeNo)).toEqual([]);
    });

    it('jobs pending at shutdown are delivered by the restarted BFF (its outbox worker starts with the app)', async () => {
      stack.emulator.control.setFaults('govSync', { httpStatus: 503 });
      const first = await stack.createAndPay(token, subsidyCart);
      expect(await stack.bff.outbox.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      const second = await stack.createAndPay(token, subsidyCart);
      stack.emulator.control.clearFaults();
      stack.emulator.control.advanceClock(3_600_000);
      token = await stack.login();

      // Graceful stop (the SIGTERM path) and a new process on the same database, worker running.
      const restarted = await stack.restartBff({ OUTBOX_ENABLED: '1', OUTBOX_POLL_INTERVAL_MS: '20' });
      const open = () => stack.bff.database.db.selectFrom('outbox_jobs').select('id').where('status', 'in', ['pending', 'delivering']).execute();
      // Bounded wait for the background loop (a condition, not a timing assertion).
      for (let i = 0; i < 500 && (await open()).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await open()).toEqual([]);
      for (const { order } of [first, second]) {
        expect(syncsFor(order.outTradeNo).filter((sync) => sync.body.cate_state === 'CATE_STATE_REDEEM')).toHaveLength(1);
        expect((await jobsFor(order.outTradeNo)).map((job) => job.status)).toEqual(['delivered']);
      }
      expect(await restarted.outbox.depth()).toMatchObject({ pending: 0, delivering: 0, dead: 0 });

      // A new paid order is sent by the running worker right after its transaction commits.
      const third = await stack.createAndPay(token, subsidyCart);
      for (let i = 0; i < 500 && syncsFor(third.order.outTradeNo).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(syncsFor(third.order.outTradeNo)).toHaveLength(1);
      await stack.restartBff({ OUTBOX_ENABLED: '0' });
    });

    it('with GOV_SUBSIDY_SYNC_ENABLED=0 a goods return is refused with a clear code and enqueues nothing (no REDEEM was ever sent)', async () => {
      await stack.restartBff({ OUTBOX_ENABLED: '0', GOV_SUBSIDY_SYNC_ENABLED: '0' });
      try {
        const { order } = await stack.createAndPay(token, subsidyCart);
        const response = await admin(order.id, { refundId: 'RF20261125000009' });
        expect(response.status).toBe(422);
        const { error } = errorBodySchema.parse(await response.json());
        expect(error.code).toBe('SUBSIDY_NOT_ELIGIBLE');
        expect(error.message).toContain('GOV_SUBSIDY_SYNC_ENABLED=0');
        expect(await jobsFor(order.outTradeNo)).toEqual([]);
        // Still authenticated first: the setting is not revealed to an unauthenticated caller.
        expect((await admin(order.id, { refundId: 'RF20261125000009' }, null)).status).toBe(401);
      } finally {
        await stack.restartBff({ OUTBOX_ENABLED: '0' });
      }
    });
  });
});
