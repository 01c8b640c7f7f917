import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';

export interface NotifiableOrder {
  outTradeNo: string;
  payableFen: number;
  transactionId: string;
}

/** The notification WeChat Pay sends when this order is paid (HMAC-SHA256, the dev merchant's key). */
export function signedNotification(order: NotifiableOrder): string {
  return buildSignedNotification(
    { out_trade_no: order.outTradeNo, total_fee: String(order.payableFen), transaction_id: order.transactionId, openid: 'oBench0000000000000000000001' },
    { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' },
  );
}

/** How far back a copy reaches: WeChat Pay resends within seconds, so copies are of recent payments. */
const copyLags = [100, 200, 300] as const;
export const mixWarmupOrdersMin = copyLags[copyLags.length - 1] ?? 0;

/**
 * The realistic mix, 1 first delivery to 3 copies: for each measured order, its first delivery,
 * then copies of the orders paid 100, 200 and 300 first deliveries before it (the earliest ones
 * were paid by the warm-up, which delivers `warm` once each first).
 */
export function mixedDeliveries(warm: readonly string[], measured: readonly string[]): string[] {
  if (warm.length < mixWarmupOrdersMin) throw new Error(`the mix needs at least ${String(mixWarmupOrdersMin)} warm-up orders`);
  const all = [...warm, ...measured];
  const out: string[] = [];
  for (let j = 0; j < measured.length; j += 1) {
    const k = warm.length + j;
    out.push(all[k] ?? '');
    for (const lag of copyLags) out.push(all[k - lag] ?? '');
  }
  return out;
}
