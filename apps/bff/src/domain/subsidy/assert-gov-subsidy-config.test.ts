import { describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import { assertGovSubsidyConfig } from './assert-gov-subsidy-config';

const merchant = { sellerName: '示例电器销售有限公司', licenseNumber: '91110108397173806M', merchantName: devMerchant.merchantName, saleModel: 'SALE_MODEL_ONLINE' as const };
const wechatPay = { publicKey: devMerchant.platformPublicKeyPem, publicKeyId: devMerchant.platformPublicKeyId };

describe('assertGovSubsidyConfig', () => {
  it('passes a usable config and names the bad field otherwise', () => {
    expect(() => assertGovSubsidyConfig(merchant, wechatPay)).not.toThrow();
    expect(() => assertGovSubsidyConfig({ ...merchant, licenseNumber: '123' }, wechatPay)).toThrow(/license_number/);
    expect(() => assertGovSubsidyConfig({ ...merchant, sellerName: '' }, wechatPay)).toThrow(/seller_name/);
    expect(() => assertGovSubsidyConfig(merchant, { ...wechatPay, publicKey: 'not a key' })).toThrow(/SUBSIDY_CONFIG_INVALID|config unusable/);
    expect(() => assertGovSubsidyConfig(merchant, { ...wechatPay, publicKeyId: 'bad id' })).toThrow(/public key id/);
  });
});
