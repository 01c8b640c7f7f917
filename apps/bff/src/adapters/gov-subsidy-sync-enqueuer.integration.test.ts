import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import type { SubsidyBuyer } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { AesGcmPiiCipher } from './aes-gcm-pii-cipher';
import { KyselyOrderRepository } from './kysely-order-repository';
import { KyselyUnitOfWork } from './kysely-unit-of-work';
import { KyselyUserRepository } from './kysely-user-repository';
import { createDatabase, type DatabaseHandle } from '../db/create-database';
import { migrateToLatest } from '../db/migrate';
import type { NewOrder } from '../domain/orders/order-repository';
import { createOutboxWorker } from '../outbox/outbox-worker';
import { asOutboxDb } from '../outbox/outbox-table';
import { captureLogger } from '../../test-support/capture-logger';
import { freshDatabase, releaseTestPostgres, testBackends, type FreshDatabase } from '../../test-support/test-databases';
import { deliverGovSubsidySync } from './deliver-gov-subsidy-sync';
import { createGovSubsidySyncClient } from './gov-subsidy-sync-client';
import { createGovSubsidySyncEnqueuer } from '../domain/subsidy/gov-subsidy-sync-enqueuer';
import { GOV_SUBSIDY_SYNC_JOB } from '../domain/subsidy/gov-subsidy-sync-job';
import { recordGoodsReturn } from '../domain/subsidy/record-goods-return';
import { sealSubsidyClaim } from '../domain/subsidy/sealed-subsidy-claim';

/**
 * The enqueuer against the BFF's own schema, migrations, PII cipher and order repository (its
 * onPaid hook): what the integration wires, end to end to the emulator.
 */
const buyer: SubsidyBuyer = {
  realName: '赵六',
  identityDocumentType: 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC',
  idCardNumber: 'H12345678',
  phoneNumber: '13700001111',
  receiveRegionCode: '310101',
  qualificationRegionCode: 310100,
};
const merchant = { sellerName: '示例电器销售有限公司', licenseNumber: '91310000MA1K000000', merchantName: devMerchant.merchantName, saleModel: 'SALE_MODEL_ONLINE' as const };
const wechatPay = { publicKey: devMerchant.platformPublicKeyPem, publicKeyId: devMerchant.platformPublicKeyId };

const emulator = createEmulator();
let running: RunningEmulator;
const log = captureLogger();
const clock = { now: () => new Date('2026-11-25T08:00:00Z') };
const pii = new AesGcmPiiCipher('test-pii-key-0000000000000000000000');

beforeAll(async () => {
  running = await emulator.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await running.close();
  await releaseTestPostgres();
  for (const secret of [buyer.realName, buyer.idCardNumber, buyer.phoneNumber]) expect(log.text()).not.toContain(secret);
});
// The BFF's migrations, order repository and outbox claims on both databases.
describe.each(testBackends)('gov subsidy sync enqueuer on %s', (backend) => {
  let fresh: FreshDatabase;
  let database: DatabaseHandle;

  beforeEach(async () => {
    emulator.control.reset();
    fresh = await freshDatabase(backend, 'gov_enqueuer');
    database = createDatabase(fresh.config);
    await migrateToLatest(database.db);
    await new KyselyUserRepository(database.db).upsertByOpenid('o_buyer', 'user-1', clock.now());
  });
  afterEach(async () => {
    await database.close();
    fresh.drop();
  });

  const newOrder = (n: string, subsidy: boolean, cipher: { seal(p: string): string } = pii): NewOrder => ({
    id: `order-${n}`,
    userId: 'user-1',
    outTradeNo: `T${n}`,
    appId: devMerchant.appId,
    mchId: devMerchant.mchId,
    signType: 'MD5',
    totalFen: 608_900,
    subsidyDiscountFen: subsidy ? 120_000 : 0,
    payableFen: subsidy ? 488_900 : 608_900,
    unifiedOrder: { body: 'x', totalFee: 1, spbillCreateIp: '127.0.0.1', notifyUrl: 'https://example.com/n', openid: 'o_buyer', timeStart: '20261125160000', timeExpire: '20261125163000' },
    idempotencyKey: null,
    requestFingerprint: null,
    createdAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + 1_800_000),
    items: [
      { lineNo: 1, productId: 'fridge-510', name: '冰箱', quantity: 1, unitPriceFen: 599_900, subsidyDiscountFen: subsidy ? 120_000 : 0, applianceId: 2, brand: '海尔', energyGrade: 'SECOND_LEVEL' },
      { lineNo: 2, productId: 'kettle', name: '水壶', quantity: 1, unitPriceFen: 9_000, subsidyDiscountFen: 0, applianceId: null, brand: null, energyGrade: null },
    ],
    subsidy: subsidy ? sealSubsidyClaim(cipher, buyer) : null,
  });

  const wire = (piiCipher: { open(s: string): string } = pii) => {
    const enqueuer = createGovSubsidySyncEnqueuer({ merchant, pii: piiCipher, wechatPay, clock, logger: log.logger });
    const outcomes: string[] = [];
    const orders = new KyselyOrderRepository(database.db, clock, { eventId: () => `ev-${Math.random()}` }, {
      onEvent: async (event, scope) => {
        outcomes.push(await enqueuer.onPaid(scope, { orderId: event.order.id, paidAt: event.order.paidAt ?? clock.now() }));
      },
    });
    const client = createGovSubsidySyncClient({
      baseUrl: running.url,
      mchId: devMerchant.mchId,
      merchantSerialNo: devMerchant.merchantSerialNo,
      merchantPrivateKey: devMerchant.merchantPrivateKeyPem,
      platformPublicKeys: new Map([[devMerchant.platformPublicKeyId, devMerchant.platformPublicKeyPem]]),
    });
    const worker = createOutboxWorker({ dialect: backend }, { db: asOutboxDb(database.db), handlers: { [GOV_SUBSIDY_SYNC_JOB]: deliverGovSubsidySync(client) }, logger: log.logger });
    return { enqueuer, orders, worker, outcomes };
  };

  const pay = (orders: KyselyOrderRepository, n: string, transactionId = `42000${n}`) =>
    orders.markPaid({ orderId: `order-${n}`, transactionId, paidAt: new Date('2026-11-25T08:05:09Z'), source: 'notify' });

  describe('createGovSubsidySyncEnqueuer with the BFF schema', () => {
    it('the paid transition enqueues REDEEM once; an admin return enqueues REFUND once; both reach WeChat Pay', async () => {
      const { orders, worker, outcomes, enqueuer } = wire();
      await orders.create(newOrder('1', true));
      expect((await pay(orders, '1')).kind).toBe('applied');
      expect((await pay(orders, '1')).kind).toBe('already_paid');
      expect(outcomes).toEqual(['enqueued']);

      const deps = { unitOfWork: new KyselyUnitOfWork(database.db), enqueuer, clock };
      expect(await recordGoodsReturn(deps, { orderId: 'order-1', refundId: 'RF-1', returnedAt: new Date('2026-11-27T01:00:00Z') })).toBe('enqueued');
      expect(await recordGoodsReturn(deps, { orderId: 'order-1', refundId: 'RF-1' })).toBe('duplicate');
      // The REFUND names the REDEEM as its predecessor: one round sends the REDEEM, the next the REFUND.
      const stored = await database.db.selectFrom('outbox_jobs').select(['dedupe_key', 'after_dedupe_key']).orderBy('dedupe_key').execute();
      expect(stored).toEqual([
        { dedupe_key: 'T1:CATE_STATE_REDEEM', after_dedupe_key: null },
        { dedupe_key: 'T1:CATE_STATE_REFUND', after_dedupe_key: 'T1:CATE_STATE_REDEEM' },
      ]);
      expect(await worker.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(await worker.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });

      const syncs = emulator.control.govSyncs().map((s) => s.body);
      expect(syncs.map((b) => b.cate_state)).toEqual(['CATE_STATE_REDEEM', 'CATE_STATE_REFUND']);
      const redeem = syncs.find((b) => b.cate_state === 'CATE_STATE_REDEEM');
      const refund = syncs.find((b) => b.cate_state === 'CATE_STATE_REFUND');
      expect(redeem).toMatchObject({
        out_trade_no: 'T1',
        mch_order_id: 'order-1',
        transaction_time: '2026-11-25T16:05:09+08:00',
        order_amount: 608_900,
        discount_amount: 120_000,
        appliance_id: 2,
        brand: '海尔',
        energy_grade: 'SECOND_LEVEL',
        identity_document_type: 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC',
        real_name: buyer.realName,
        id_card_number: buyer.idCardNumber,
        phone_number: buyer.phoneNumber,
      });
      expect(redeem?.refund_id).toBeUndefined();
      expect(refund).toMatchObject({ out_trade_no: 'T1', refund_id: 'RF-1', transaction_time: '2026-11-27T09:00:00+08:00' });
    });

    it('an order without a subsidy claim enqueues nothing and cannot be returned for a subsidy', async () => {
      const { orders, outcomes, enqueuer } = wire();
      await orders.create(newOrder('2', false));
      await pay(orders, '2');
      expect(outcomes).toEqual(['not_subsidy']);
      await expect(recordGoodsReturn({ unitOfWork: new KyselyUnitOfWork(database.db), enqueuer, clock }, { orderId: 'order-2', refundId: 'RF-2' })).rejects.toMatchObject({ code: 'SUBSIDY_NOT_ELIGIBLE' });
      await expect(recordGoodsReturn({ unitOfWork: new KyselyUnitOfWork(database.db), enqueuer, clock }, { orderId: 'nope', refundId: 'RF-2' })).rejects.toMatchObject({ code: 'SUBSIDY_ORDER_NOT_FOUND' });
    });

    it('a return before payment is refused', async () => {
      const { orders, enqueuer } = wire();
      await orders.create(newOrder('3', true));
      await expect(recordGoodsReturn({ unitOfWork: new KyselyUnitOfWork(database.db), enqueuer, clock }, { orderId: 'order-3', refundId: 'RF-3' })).rejects.toMatchObject({ code: 'SUBSIDY_ORDER_NOT_PAID' });
      await expect(recordGoodsReturn({ unitOfWork: new KyselyUnitOfWork(database.db), enqueuer, clock }, { orderId: 'order-3', refundId: 'bad id!' })).rejects.toMatchObject({ code: 'SUBSIDY_SYNC_INVALID' });
    });

    it('a sync that cannot be built never undoes the payment: it is recorded as a dead job with an error log', async () => {
      const { orders, outcomes } = wire(new AesGcmPiiCipher('another-key-0000000000000000000000000'));
      await orders.create(newOrder('4', true));
      expect((await pay(orders, '4')).kind).toBe('applied');
      expect(outcomes).toEqual(['unbuildable']);
      expect((await orders.findById('order-4'))?.status).toBe('paid');
      const job = await asOutboxDb(database.db).selectFrom('outbox_jobs').select(['status', 'last_error', 'dedupe_key']).executeTakeFirstOrThrow();
      expect(job).toEqual({ status: 'dead', last_error: 'UNBUILDABLE:SUBSIDY_PII_UNREADABLE', dedupe_key: 'T4:CATE_STATE_REDEEM' });
      expect(log.text()).toContain('gov subsidy sync cannot be built');
    });
  });
});
