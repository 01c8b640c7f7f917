import { formatWxPayTime } from '@checkout/protocol/wxpay';
import type { EmulatorRefund } from '../emulator-types';
import { isPaid } from '../state/order-lifecycle';
import { EmulatorStore, type OrderRecord } from '../state/store';
import type { BillEntry } from './bill-entry';
import type { BillFaults } from './bill-faults';
import { serviceFee } from './service-fee';

/** `yyyyMMddHHmmss` → `yyyy-MM-dd HH:mm:ss`. */
const billTime = (t: string): string => `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;

export interface BillQuery {
  mchId: string;
  /** `yyyyMMdd` Beijing. */
  billDate: string;
  payments: boolean;
  refunds: boolean;
  /** When the bill was built: a refund row shows the status it had then (rows are not updated later). */
  builtAtMs: number;
}

function paymentEntry(order: OrderRecord, faults: BillFaults): BillEntry {
  const amount = faults.amountOf(EmulatorStore.orderKey(order.mchId, order.outTradeNo)) ?? order.totalFee;
  return {
    tradeTime: billTime(order.timeEnd ?? ''),
    ...orderColumns(order),
    tradeState: 'SUCCESS',
    settlementTotalFee: amount,
    totalFee: amount,
    serviceFee: serviceFee(amount),
  };
}

function refundEntry(refund: EmulatorRefund, order: OrderRecord, builtAtMs: number): BillEntry {
  const settled = refund.settledAt !== undefined && Date.parse(refund.settledAt) <= builtAtMs;
  const status = settled ? refund.refundStatus : 'PROCESSING';
  return {
    tradeTime: billTime(formatWxPayTime(new Date(refund.createdAt))),
    ...orderColumns(order),
    tradeState: 'REFUND',
    settlementTotalFee: 0,
    totalFee: 0,
    serviceFee: -serviceFee(refund.settlementRefundFee),
    refund: {
      refundId: refund.refundId,
      outRefundNo: refund.outRefundNo,
      refundFee: refund.settlementRefundFee,
      applyRefundFee: refund.refundFee,
      status,
      appliedAt: billTime(formatWxPayTime(new Date(refund.createdAt))),
      succeededAt: status === 'SUCCESS' ? (refund.successTime ?? '') : '',
    },
  };
}

function orderColumns(order: OrderRecord): Pick<BillEntry, 'appId' | 'mchId' | 'deviceInfo' | 'transactionId' | 'outTradeNo' | 'openid' | 'body' | 'attach'> {
  return {
    appId: order.appId,
    mchId: order.mchId,
    deviceInfo: order.requestParams.device_info ?? '',
    transactionId: order.transactionId ?? '',
    outTradeNo: order.outTradeNo,
    openid: order.openid,
    body: order.body,
    attach: order.attach ?? '',
  };
}

/**
 * The rows of one merchant's day from the ledger, in trade-time order. One pass over orders and
 * one over refunds (each refund finds its order by key), so a day of n trades costs O(n log n)
 * time and O(n) memory.
 */
export function billEntries(store: EmulatorStore, faults: BillFaults, query: BillQuery): BillEntry[] {
  const entries: BillEntry[] = [];
  if (query.payments) {
    for (const order of store.orders.values()) {
      if (order.mchId === query.mchId && isPaid(order) && order.timeEnd?.startsWith(query.billDate) === true) entries.push(paymentEntry(order, faults));
    }
  }
  if (query.refunds) {
    for (const refund of store.refunds.values()) {
      if (refund.mchId !== query.mchId || formatWxPayTime(new Date(refund.createdAt)).slice(0, 8) !== query.billDate) continue;
      const order = store.findOrder(refund.mchId, refund.outTradeNo);
      if (order !== undefined) entries.push(refundEntry(refund, order, query.builtAtMs));
    }
  }
  // Stable: rows of the same second keep ledger order.
  return entries.sort((a, b) => (a.tradeTime < b.tradeTime ? -1 : a.tradeTime > b.tradeTime ? 1 : 0));
}
