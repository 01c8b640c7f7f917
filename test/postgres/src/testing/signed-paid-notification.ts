import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import type { OpenOrder } from './open-order';

/** WeChat Pay's SUCCESS pay-result notification for `order`, signed with the dev merchant's key. */
export function signedPaidNotification(order: Pick<OpenOrder, 'outTradeNo' | 'payableFen'>, transactionId: string): string {
  return buildSignedNotification(
    {
      appid: devMerchant.appId,
      mch_id: devMerchant.mchId,
      out_trade_no: order.outTradeNo,
      total_fee: String(order.payableFen),
      transaction_id: transactionId,
    },
    { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' },
  );
}
