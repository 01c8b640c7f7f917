import { constants, privateDecrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SubsidyBuyer } from '@checkout/protocol/contract';
import { govSubsidySyncRequestSchema } from '@checkout/protocol/wxpay';
import { devMerchant, testKeys } from '@checkout/protocol/testing';
import { govSubsidySyncJobForOrder, type PaidSubsidyOrder } from './gov-subsidy-sync-job';
import type { GovSubsidyMerchantConfig } from './gov-subsidy-sync-request';
import { AesGcmPiiCipher } from '../../adapters/aes-gcm-pii-cipher';
import { sealSubsidyClaim } from './sealed-subsidy-claim';
import { thrownCode } from '../../../test-support/thrown-code';


const sampleBuyer: SubsidyBuyer = {
  realName: '李四',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '11010519491231002X',
  phoneNumber: '13800138000',
  receiveRegionCode: '110101',
  qualificationRegionCode: 310100,
};

const merchant: GovSubsidyMerchantConfig = {
  sellerName: '示例电器销售有限公司',
  licenseNumber: '91110108397173806M',
  merchantName: devMerchant.merchantName,
  saleModel: 'SALE_MODEL_ONLINE',
};

const order: PaidSubsidyOrder = {
  id: 'ord_1',
  outTradeNo: 'T20261125000001',
  totalFen: 501_990,
  subsidyDiscountFen: 100_000,
  items: [
    { subsidyDiscountFen: 0, applianceId: null, brand: null, energyGrade: null },
    { subsidyDiscountFen: 100_000, applianceId: 3, brand: '海尔', energyGrade: 'FIRST_LEVEL' },
  ],
};

const pii = new AesGcmPiiCipher(randomBytes(32).toString('hex'));
/** Decrypted with node:crypto directly, not the protocol's decryptOaep, so a shared bug cannot hide. */
const decryptOaep = (base64: string, key: typeof testKeys.platform.privateKey): string =>
  privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(base64, 'base64')).toString('utf8');

const wechatPay = { publicKey: testKeys.platform.publicKey, publicKeyId: testKeys.platformPublicKeyId };

describe('govSubsidySyncJobForOrder', () => {
  it('maps a paid order to a valid REDEEM sync whose personal fields only WeChat Pay can read', () => {
    const claim = sealSubsidyClaim(pii, sampleBuyer);
    const job = govSubsidySyncJobForOrder({
      order,
      claim,
      event: { cateState: 'CATE_STATE_REDEEM', transactionTime: new Date('2026-11-25T02:03:04Z') },
      merchant,
      pii,
      wechatPay,
    });
    expect(job.kind).toBe('gov_subsidy_sync');
    expect(job.dedupeKey).toBe('T20261125000001:CATE_STATE_REDEEM');
    expect(job.payload.wechatpaySerial).toBe(testKeys.platformPublicKeyId);
    const request = govSubsidySyncRequestSchema.parse(job.payload.request);
    expect(request).toMatchObject({
      out_trade_no: 'T20261125000001',
      mch_order_id: 'ord_1',
      cate_state: 'CATE_STATE_REDEEM',
      transaction_time: '2026-11-25T10:03:04+08:00',
      order_amount: 501_990,
      discount_amount: 100_000,
      appliance_id: 3,
      brand: '海尔',
      energy_grade: 'FIRST_LEVEL',
      receive_region_code: '110101',
      qualification_region_code: 310100,
      identity_document_type: 'ID_DOC_TYPE_ID_CARD',
      seller_name: merchant.sellerName,
      license_number: merchant.licenseNumber,
      mch_name: merchant.merchantName,
      sale_model: 'SALE_MODEL_ONLINE',
    });
    expect(request.refund_id).toBeUndefined();
    expect(decryptOaep(request.real_name ?? '', testKeys.platform.privateKey)).toBe('李四');
    expect(decryptOaep(request.id_card_number ?? '', testKeys.platform.privateKey)).toBe('11010519491231002X');
    expect(decryptOaep(request.phone_number ?? '', testKeys.platform.privateKey)).toBe('13800138000');
    const stored = JSON.stringify(job.payload);
    for (const value of ['李四', '11010519491231002X', '13800138000']) expect(stored).not.toContain(value);
  });

  it('maps a return to REFUND with refund_id and its own dedupe key', () => {
    const job = govSubsidySyncJobForOrder({
      order,
      claim: sealSubsidyClaim(pii, sampleBuyer),
      event: { cateState: 'CATE_STATE_REFUND', transactionTime: new Date('2026-11-26T00:00:00Z'), refundId: 'RF1' },
      merchant,
      pii,
      wechatPay,
    });
    expect(job.dedupeKey).toBe('T20261125000001:CATE_STATE_REFUND');
    expect(job.payload.request).toMatchObject({ cate_state: 'CATE_STATE_REFUND', refund_id: 'RF1', transaction_time: '2026-11-26T08:00:00+08:00' });
  });

  it('refuses orders it cannot map, without quoting personal data', () => {
    const claim = sealSubsidyClaim(pii, sampleBuyer);
    const event = { cateState: 'CATE_STATE_REDEEM' as const, transactionTime: new Date() };
    const twoAppliances = { ...order, items: [order.items[1], order.items[1]].filter((item) => item !== undefined) };
    expect(thrownCode(() => govSubsidySyncJobForOrder({ order: twoAppliances, claim, event, merchant, pii, wechatPay }))).toBe('SUBSIDY_ONE_APPLIANCE_PER_ORDER');
    const badMerchant = { ...merchant, licenseNumber: 'not-a-licence' };
    let error: unknown;
    try {
      govSubsidySyncJobForOrder({ order, claim, event, merchant: badMerchant, pii, wechatPay });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'SUBSIDY_SYNC_INVALID', message: expect.stringContaining('license_number') as unknown });
    expect(String((error as Error).message)).not.toContain('李四');
    const wrongKey = new AesGcmPiiCipher(randomBytes(32).toString('hex'));
    expect(thrownCode(() => govSubsidySyncJobForOrder({ order, claim, event, merchant, pii: wrongKey, wechatPay }))).toBe('SUBSIDY_PII_UNREADABLE');
  });
});
