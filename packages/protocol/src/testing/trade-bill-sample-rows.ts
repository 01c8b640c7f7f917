import { billDayRange } from '../wxpay/bill-time';
import type { TradeBillType } from '../wxpay/trade-bill-columns';
import type { TradeBillRowInput } from '../wxpay/trade-bill-row';

export interface SampleTradeBillOptions {
  billType: TradeBillType;
  /** `yyyyMMdd` (Beijing); every row's time falls inside that day. Default 20250101. */
  billDate?: string;
  appId?: string;
  mchId?: string;
  /** Every n-th row of an ALL bill is a refund (default 7). */
  refundEvery?: number;
}

/**
 * `count` deterministic, varied rows for a bill of `options.billType` (lazily generated, so a
 * benchmark can write a million rows in flat memory). Refund rows return the fee (negative
 * 手续费); names and attach hold multi-byte text to exercise chunk splits inside characters.
 */
export function* sampleTradeBillRows(count: number, options: SampleTradeBillOptions): Generator<TradeBillRowInput> {
  const { start } = billDayRange(options.billDate ?? '20250101');
  const refundEvery = options.refundEvery ?? 7;
  for (let i = 0; i < count; i++) {
    const totalFee = 1 + ((i * 7919) % 250_000);
    const couponFee = i % 5 === 0 ? Math.min(totalFee, 100) : 0;
    const serviceFee = Math.round((totalFee - couponFee) * 0.006);
    const isRefund = options.billType === 'REFUND' || (options.billType === 'ALL' && i % refundEvery === refundEvery - 1);
    const tradeTime = new Date(start.getTime() + Math.floor((i / count) * 86_399) * 1000);
    const row: TradeBillRowInput = {
      tradeTime,
      appId: options.appId ?? 'wx2421b1c4370ec43b',
      mchId: options.mchId ?? '10000100',
      subMchId: '0',
      deviceInfo: i % 3 === 0 ? '' : 'WEB',
      transactionId: `42000${String(1_000_000_000_000_000_000n + BigInt(i)).padStart(23, '0')}`,
      outTradeNo: `T${String(i).padStart(12, '0')}`,
      openid: `oUpF8uMuAJO_M2pxb1Q9zNjW${String(i % 10_000).padStart(4, '0')}`,
      tradeType: 'JSAPI',
      tradeState: isRefund ? 'REFUND' : 'SUCCESS',
      bankType: i % 2 === 0 ? 'OTHERS' : 'CMB_CREDIT',
      feeType: 'CNY',
      settlementTotalFee: isRefund ? 0 : totalFee - couponFee,
      couponFee: isRefund ? 0 : couponFee,
      body: `商品-${i % 97}-测试`,
      attach: i % 4 === 0 ? '' : `附加,数据${i % 13}`,
      serviceFee: isRefund && serviceFee !== 0 ? -serviceFee : serviceFee,
      rate: '0.60%',
      totalFee: isRefund ? 0 : totalFee,
      rateNote: '',
    };
    if (isRefund) {
      row.refund = {
        refundId: `50000${String(i).padStart(24, '0')}`,
        outRefundNo: `R${String(i).padStart(12, '0')}`,
        refundFee: totalFee - couponFee,
        rechargeCouponRefundFee: 0,
        channel: 'ORIGINAL',
        status: i % 2 === 0 ? 'SUCCESS' : 'PROCESSING',
        applyRefundFee: totalFee,
      };
      if (options.billType === 'REFUND') {
        row.refund.appliedAt = tradeTime;
        if (row.refund.status === 'SUCCESS') row.refund.succeededAt = new Date(tradeTime.getTime() + 60_000);
      }
    }
    yield row;
  }
}
