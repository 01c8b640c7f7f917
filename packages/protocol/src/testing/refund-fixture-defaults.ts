import { devMerchant } from './dev-merchant';

/**
 * The refund fixtures describe refunds of the paid order that `buildSignedNotification` reports
 * (99.00 CNY), so the pay and refund fixtures fit together.
 */
export const refundFixtureDefaults = {
  appId: devMerchant.appId,
  mchId: devMerchant.mchId,
  transactionId: '4200002345202511251234567890',
  outTradeNo: 'T20251125161500000001',
  totalFee: 9900,
  outRefundNo: 'R20251126100000000001',
  refundId: '50000408942025112607145868882',
  successTime: '2025-11-26 10:00:05',
} as const;
