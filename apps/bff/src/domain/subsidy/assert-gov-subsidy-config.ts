import { buildGovSubsidySyncRequest, type GovSubsidyMerchantConfig } from './gov-subsidy-sync-request';
import { SubsidyError } from './subsidy-error';
import type { WechatPayEncryptionKey } from './gov-subsidy-sync-job';
import { encryptOaep } from '@checkout/protocol/wxpay';

/**
 * Startup check: builds a sample sync body with the merchant config and the WeChat Pay key, so a
 * malformed licence number or an unusable key stops the BFF at boot, not at the first paid order.
 */
export function assertGovSubsidyConfig(merchant: GovSubsidyMerchantConfig, wechatPay: WechatPayEncryptionKey): void {
  try {
    if (!/^(PUB_KEY_ID_\w+|[0-9A-F]{8,40})$/.test(wechatPay.publicKeyId)) {
      throw new SubsidyError('SUBSIDY_CONFIG_INVALID', 'WeChat Pay public key id must be PUB_KEY_ID_… or a certificate serial');
    }
    buildGovSubsidySyncRequest({
      order: { orderId: 'config-check', outTradeNo: 'CONFIGCHECK', totalFen: 100, subsidyDiscountFen: 0, appliance: { applianceId: 1, brand: 'check', energyGrade: 'FIRST_LEVEL' } },
      buyer: {
        realName: '检查',
        identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
        idCardNumber: '11010519491231002X',
        phoneNumber: '13800000000',
        receiveRegionCode: '110101',
        qualificationRegionCode: 110000,
      },
      event: { cateState: 'CATE_STATE_REDEEM', transactionTime: new Date(0) },
      merchant,
      encrypt: (plaintext) => encryptOaep(plaintext, wechatPay.publicKey),
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'unknown error';
    throw new SubsidyError('SUBSIDY_CONFIG_INVALID', `gov subsidy config unusable: ${detail}`);
  }
}
