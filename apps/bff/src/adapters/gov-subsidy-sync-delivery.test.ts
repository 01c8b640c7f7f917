import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import type { SubsidyBuyer } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { createBffMetrics, type BffMetrics } from '../metrics/bff-metrics';
import { claimOutboxJobs } from '../outbox/claim-outbox-jobs';
import { enqueueOutboxJob } from '../outbox/enqueue-outbox-job';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerConfig } from '../outbox/outbox-worker';
import type { OutboxDatabase } from '../outbox/outbox-table';
import { openOutboxTestDatabase } from '../../test-support/outbox-test-database';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';
import { captureLogger } from '../../test-support/capture-logger';
import { deliverGovSubsidySync } from './deliver-gov-subsidy-sync';
import { createGovSubsidySyncClient } from './gov-subsidy-sync-client';
import { GOV_SUBSIDY_SYNC_JOB, govSubsidySyncJobForOrder, type PaidSubsidyOrder } from '../domain/subsidy/gov-subsidy-sync-job';
import type { GovSubsidyMerchantConfig } from '../domain/subsidy/gov-subsidy-sync-request';
import { AesGcmPiiCipher } from './aes-gcm-pii-cipher';
import { sealSubsidyClaim } from '../domain/subsidy/sealed-subsidy-claim';

const buyer: SubsidyBuyer = {
  realName: '王小明',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '44030419900101123X',
  phoneNumber: '13912345678',
  receiveRegionCode: '440304',
  qualificationRegionCode: 440300,
};
const secrets = [
  buyer.realName,
  buyer.idCardNumber,
  buyer.phoneNumber,
  devMerchant.apiKey,
  devMerchant.apiV3Key,
  devMerchant.merchantPrivateKeyPem.split('\n')[1] ?? 'PRIVATE',
];
const merchantConfig: GovSubsidyMerchantConfig = {
  sellerName: '示例电器销售有限公司',
  licenseNumber: '91440300MA5F000000',
  merchantName: devMerchant.merchantName,
  saleModel: 'SALE_MODEL_ONLINE',
};
const pii = new AesGcmPiiCipher(randomBytes(32).toString('hex'));

const emulator = createEmulator();
let running: RunningEmulator;
let db: Kysely<OutboxDatabase>;
let now: number;
let metrics: BffMetrics;
const log = captureLogger();
const clock = { now: () => new Date(now) };
const advance = (ms: number): void => {
  now += ms;
};

beforeAll(async () => {
  running = await emulator.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await running.close();
  await releaseTestPostgres();
  // Over every test in this file: no personal data and no key ever reached a log line.
  const text = log.text();
  expect(text.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(text).not.toContain(secret);
});
// Outbox claims, leases and retries under the real sync client, on both databases.
describe.each(testBackends)('gov subsidy sync delivery on %s', (backend) => {
  let fresh: FreshDatabase;

  beforeEach(async () => {
    emulator.control.reset();
    fresh = await freshDatabase(backend, 'gov_sync');
    db = await openOutboxTestDatabase(fresh.config);
    now = Date.now();
    metrics = createBffMetrics({ collectDefault: false });
  });
  afterEach(async () => {
    await db.destroy();
    fresh.drop();
  });

  const client = () =>
    createGovSubsidySyncClient({
      baseUrl: running.url,
      mchId: devMerchant.mchId,
      merchantSerialNo: devMerchant.merchantSerialNo,
      merchantPrivateKey: devMerchant.merchantPrivateKeyPem,
      platformPublicKeys: new Map([[devMerchant.platformPublicKeyId, devMerchant.platformPublicKeyPem]]),
      timeoutMs: 5_000,
    });

  const worker = (config: Partial<OutboxWorkerConfig> = {}, database: Kysely<OutboxDatabase> = db): OutboxWorker =>
    createOutboxWorker(
      { dialect: backend, maxAttempts: 5, backoff: { baseMs: 1_000, maxMs: 60_000 }, pollIntervalMs: 10, ...config },
      { db: database, handlers: { [GOV_SUBSIDY_SYNC_JOB]: deliverGovSubsidySync(client()) }, logger: log.logger, metrics, clock, random: () => 0.5 },
    );

  const order = (outTradeNo: string): PaidSubsidyOrder => ({
    id: `ord_${outTradeNo}`,
    outTradeNo,
    totalFen: 329_900,
    subsidyDiscountFen: 65_980,
    items: [{ subsidyDiscountFen: 65_980, applianceId: 1, brand: '格力', energyGrade: 'FIRST_LEVEL' }],
  });

  /** What the paid transition does: mark paid and enqueue in one transaction. */
  const payAndEnqueue = async (outTradeNo: string, wechatpaySerial: string = devMerchant.platformPublicKeyId): Promise<boolean> => {
    const job = govSubsidySyncJobForOrder({
      order: order(outTradeNo),
      claim: sealSubsidyClaim(pii, buyer),
      event: { cateState: 'CATE_STATE_REDEEM', transactionTime: new Date('2026-11-25T06:30:00Z') },
      merchant: merchantConfig,
      pii,
      wechatPay: { publicKey: devMerchant.platformPublicKeyPem, publicKeyId: wechatpaySerial },
    });
    return db.transaction().execute(async (trx) => (await enqueueOutboxJob(trx, job, { now: clock.now() })).enqueued);
  };

  const jobRow = (outTradeNo: string) =>
    db
      .selectFrom('outbox_jobs')
      .select(['status', 'attempts', 'last_error'])
      .where('dedupe_key', '=', `${outTradeNo}:CATE_STATE_REDEEM`)
      .executeTakeFirstOrThrow();

  const syncsFor = (outTradeNo: string) => emulator.control.govSyncs().filter((sync) => sync.body.out_trade_no === outTradeNo);

  /** Runs rounds, moving the scheduling clock past any backoff, until nothing is left to do. */
  const settle = async (w: OutboxWorker, rounds = 10): Promise<void> => {
    for (let i = 0; i < rounds; i += 1) {
      await w.runOnce();
      const open = await db.selectFrom('outbox_jobs').select('id').where('status', 'in', ['pending', 'delivering']).execute();
      if (open.length === 0) return;
      advance(3_600_000);
    }
  };

  describe('gov subsidy sync through the outbox', () => {
    it('a paid subsidy order is synced exactly once, with the right fields and PII the emulator can decrypt', async () => {
      expect(await payAndEnqueue('GS_ONCE_1')).toBe(true);
      const w = worker();
      expect(await w.runOnce()).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 });
      // Notification duplicates re-run the transition: the enqueue is a no-op and nothing is sent again.
      expect(await payAndEnqueue('GS_ONCE_1')).toBe(false);
      expect(await w.runOnce()).toEqual({ claimed: 0, delivered: 0, retried: 0, dead: 0 });

      const syncs = syncsFor('GS_ONCE_1');
      expect(syncs).toHaveLength(1);
      expect(syncs[0]?.serial).toBe(devMerchant.platformPublicKeyId);
      expect(syncs[0]?.body).toEqual({
        out_trade_no: 'GS_ONCE_1',
        mch_order_id: 'ord_GS_ONCE_1',
        cate_state: 'CATE_STATE_REDEEM',
        transaction_time: '2026-11-25T14:30:00+08:00',
        order_amount: 329_900,
        discount_amount: 65_980,
        appliance_id: 1,
        brand: '格力',
        energy_grade: 'FIRST_LEVEL',
        receive_region_code: '440304',
        qualification_region_code: 440300,
        identity_document_type: 'ID_DOC_TYPE_ID_CARD',
        real_name: buyer.realName,
        id_card_number: buyer.idCardNumber,
        phone_number: buyer.phoneNumber,
        seller_name: merchantConfig.sellerName,
        license_number: merchantConfig.licenseNumber,
        mch_name: merchantConfig.merchantName,
        sale_model: 'SALE_MODEL_ONLINE',
      });
      expect(await jobRow('GS_ONCE_1')).toEqual({ status: 'delivered', attempts: 1, last_error: null });
      // At rest the outbox holds only ciphertext.
      const stored = await db.selectFrom('outbox_jobs').select('payload').executeTakeFirstOrThrow();
      for (const secret of secrets.slice(0, 3)) expect(stored.payload).not.toContain(secret);
    });

    it.each([
      ['500', { httpStatus: 500, count: 2 }],
      ['429', { httpStatus: 429, count: 2 }],
    ])('after a period of HTTP %s it is delivered once, on the first attempt after recovery', async (_name, fault) => {
      emulator.control.setFaults('govSync', fault);
      await payAndEnqueue('GS_HTTP_1');
      const w = worker();
      expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      // Backoff: not due again until the clock moves.
      expect(await w.runOnce()).toMatchObject({ claimed: 0 });
      await settle(w);
      expect(await jobRow('GS_HTTP_1')).toEqual({ status: 'delivered', attempts: 3, last_error: null });
      expect(syncsFor('GS_HTTP_1')).toHaveLength(1);
      const attempts = await metrics.registry.getSingleMetricAsString('bff_outbox_attempts_total');
      expect(attempts).toContain('result="retry"} 2');
      expect(attempts).toContain('result="delivered"} 1');
    });

    it('answers with a bad signature or a SIGNTEST probe are not taken as delivered', async () => {
      emulator.control.setFaults('govSync', { corruptSignatureRate: 1, count: 2 });
      await payAndEnqueue('GS_SIG_1');
      const w = worker();
      await w.runOnce();
      expect(await jobRow('GS_SIG_1')).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP_200:UNVERIFIED:SIGN_INVALID' });
      advance(3_600_000);
      await w.runOnce();
      advance(3_600_000);
      emulator.control.setNotifyOptions({ signTest: true });
      await w.runOnce();
      expect(await jobRow('GS_SIG_1')).toMatchObject({ status: 'pending', attempts: 3, last_error: 'HTTP_200:UNVERIFIED:SIGN_TEST_PROBE' });
      emulator.control.setNotifyOptions({ signTest: false });
      await settle(w);
      expect(await jobRow('GS_SIG_1')).toEqual({ status: 'delivered', attempts: 4, last_error: null });
      // WeChat Pay did receive the earlier copies; we could not know, so we sent again (same body, same key).
      const syncs = syncsFor('GS_SIG_1');
      expect(syncs).toHaveLength(4);
      expect(new Set(syncs.map((s) => JSON.stringify(s.body))).size).toBe(1);
    });

    it('jobs pending when the BFF stops are delivered by a new worker on the same database', async () => {
      await payAndEnqueue('GS_RESTART_1');
      await payAndEnqueue('GS_RESTART_2');
      await payAndEnqueue('GS_RESTART_3');
      // A worker claims one job and dies before recording the result.
      await claimOutboxJobs(db, { dialect: backend, workerId: 'crashed-worker', now: clock.now(), leaseMs: 60_000, limit: 1 });
      await db.destroy();

      db = await openOutboxTestDatabase(fresh.config);
      const restarted = worker({ leaseMs: 60_000 });
      expect(await restarted.runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
      advance(60_001);
      expect(await restarted.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      for (const no of ['GS_RESTART_1', 'GS_RESTART_2', 'GS_RESTART_3']) expect(syncsFor(no)).toHaveLength(1);
      expect(await restarted.depth()).toEqual({ pending: 0, delivering: 0, delivered: 3, dead: 0 });
    });

    it('dead-letters after the configured attempts, with an error log that names the job and nothing personal', async () => {
      emulator.control.setFaults('govSync', { httpStatus: 503 });
      await payAndEnqueue('GS_DEAD_1');
      await settle(worker({ maxAttempts: 3 }));
      expect(await jobRow('GS_DEAD_1')).toEqual({ status: 'dead', attempts: 3, last_error: 'HTTP_503:UNVERIFIED:SIGN_MISSING' });
      const line = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'outbox job dead-lettered' && l.dedupeKey === 'GS_DEAD_1:CATE_STATE_REDEEM');
      expect(line).toMatchObject({ level: 50, kind: GOV_SUBSIDY_SYNC_JOB, attempts: 3, lastError: 'HTTP_503:UNVERIFIED:SIGN_MISSING' });
      expect(await metrics.registry.getSingleMetricAsString('bff_outbox_dead_letters_total')).toContain('{kind="gov_subsidy_sync"} 1');
      expect(await metrics.registry.getSingleMetricAsString('bff_outbox_jobs')).toContain('bff_outbox_jobs{status="dead"} 1');
      expect(syncsFor('GS_DEAD_1')).toHaveLength(0);
    });

    it('a request WeChat Pay refuses as invalid (verified 400) is dead-lettered at once', async () => {
      await payAndEnqueue('GS_BAD_1', 'PUB_KEY_ID_NOT_OURS');
      expect(await worker().runOnce()).toMatchObject({ claimed: 1, dead: 1 });
      expect(await jobRow('GS_BAD_1')).toEqual({ status: 'dead', attempts: 1, last_error: 'HTTP_400:PARAM_ERROR' });
    });

    it('WeChat Pay\'s own signed 429 FREQUENCY_LIMITED: the jobs over the limit are retried later and each is delivered once', async () => {
      // A second emulator whose clock only moves when told, with a 5 per second limit.
      const limited = createEmulator({ frozenClock: true, govSyncPerSecond: 5 });
      const server = await limited.listen(0, '127.0.0.1');
      try {
        const limitedClient = createGovSubsidySyncClient({
          baseUrl: server.url,
          mchId: devMerchant.mchId,
          merchantSerialNo: devMerchant.merchantSerialNo,
          merchantPrivateKey: devMerchant.merchantPrivateKeyPem,
          platformPublicKeys: new Map([[devMerchant.platformPublicKeyId, devMerchant.platformPublicKeyPem]]),
        });
        const w = createOutboxWorker(
          { dialect: backend, maxAttempts: 5, batchSize: 20 },
          { db, handlers: { [GOV_SUBSIDY_SYNC_JOB]: deliverGovSubsidySync(limitedClient) }, logger: log.logger, metrics, clock, random: () => 0.5 },
        );
        for (let i = 0; i < 12; i += 1) await payAndEnqueue(`GS_QPS_${i}`);
        expect(await w.runOnce()).toMatchObject({ claimed: 12, delivered: 5, retried: 7 });
        const retried = await db.selectFrom('outbox_jobs').select('last_error').where('status', '=', 'pending').execute();
        expect(new Set(retried.map((r) => r.last_error))).toEqual(new Set(['HTTP_429:FREQUENCY_LIMITED']));
        for (let round = 0; round < 2; round += 1) {
          limited.control.advanceClock(1_000);
          advance(3_600_000);
          await w.runOnce();
        }
        const bodies = limited.control.govSyncs().map((sync) => String(sync.body.out_trade_no));
        expect(bodies).toHaveLength(12);
        expect(new Set(bodies).size).toBe(12);
        expect(await w.depth()).toMatchObject({ pending: 0, delivered: 12 });
      } finally {
        await server.close();
      }
    });

    it('start() delivers in the background after wake(), and stop() waits for the loop to end', async () => {
      const w = worker({ pollIntervalMs: 60_000 });
      w.start();
      await payAndEnqueue('GS_LOOP_1');
      w.wake();
      // Bounded wait for the background loop (not a timing assertion).
      for (let i = 0; i < 1000 && (await jobRow('GS_LOOP_1')).status !== 'delivered'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await w.stop();
      expect(await jobRow('GS_LOOP_1')).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(syncsFor('GS_LOOP_1')).toHaveLength(1);
    });
  });
});
