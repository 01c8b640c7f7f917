import type { EmulatorOrder, EmulatorRefund, GovSyncRecord, NotificationDelivery, ReceivedReport } from '../emulator-types';

/** An order as stored: the public view plus the unifiedorder parameters it was created with. */
export interface OrderRecord extends EmulatorOrder {
  /** unifiedorder fields minus sign and nonce_str: a re-order must repeat them exactly. */
  requestParams: Record<string, string>;
}

export interface LoginCode {
  appId: string | undefined;
  openid: string;
  expiresAtMs: number;
  used: boolean;
}

/** Oldest records are dropped past this, so a long-running dev emulator stays bounded. */
const MAX_RECORDS = 10_000;

/** In-memory state of the emulator. Everything is lost on reset or restart, like a sandbox. */
export class EmulatorStore {
  readonly orders = new Map<string, OrderRecord>();
  readonly ordersByPrepayId = new Map<string, OrderRecord>();
  readonly loginCodes = new Map<string, LoginCode>();
  /** By mch_id + out_refund_no, in the order they were requested. */
  readonly refunds = new Map<string, EmulatorRefund>();
  readonly deliveries: NotificationDelivery[] = [];
  readonly reports: ReceivedReport[] = [];
  readonly govSyncs: GovSyncRecord[] = [];
  private readonly deliveryListeners = new Set<() => void>();
  private nextDeliveryId = 1;

  static orderKey(mchId: string, outTradeNo: string): string {
    return `${mchId}\u0000${outTradeNo}`;
  }

  findOrder(mchId: string, outTradeNo: string): OrderRecord | undefined {
    return this.orders.get(EmulatorStore.orderKey(mchId, outTradeNo));
  }

  /** First order with this out_trade_no across merchants (the control API's view). */
  findOrderAnyMerchant(outTradeNo: string): OrderRecord | undefined {
    for (const order of this.orders.values()) if (order.outTradeNo === outTradeNo) return order;
    return undefined;
  }

  findOrderByTransactionId(mchId: string, transactionId: string): OrderRecord | undefined {
    for (const order of this.orders.values()) if (order.mchId === mchId && order.transactionId === transactionId) return order;
    return undefined;
  }

  findRefund(mchId: string, outRefundNo: string): EmulatorRefund | undefined {
    return this.refunds.get(EmulatorStore.orderKey(mchId, outRefundNo));
  }

  findRefundById(mchId: string, refundId: string): EmulatorRefund | undefined {
    for (const refund of this.refunds.values()) if (refund.mchId === mchId && refund.refundId === refundId) return refund;
    return undefined;
  }

  /** First refund with this out_refund_no across merchants (the control API's view). */
  findRefundAnyMerchant(outRefundNo: string): EmulatorRefund | undefined {
    for (const refund of this.refunds.values()) if (refund.outRefundNo === outRefundNo) return refund;
    return undefined;
  }

  /** The order's refunds, oldest first. */
  refundsOf(order: Pick<EmulatorOrder, 'mchId' | 'outTradeNo'>): EmulatorRefund[] {
    return [...this.refunds.values()].filter((r) => r.mchId === order.mchId && r.outTradeNo === order.outTradeNo);
  }

  putRefund(refund: EmulatorRefund): void {
    this.refunds.set(EmulatorStore.orderKey(refund.mchId, refund.outRefundNo), refund);
  }

  putOrder(order: OrderRecord): void {
    this.orders.set(EmulatorStore.orderKey(order.mchId, order.outTradeNo), order);
    this.ordersByPrepayId.set(order.prepayId, order);
  }

  addDelivery(delivery: Omit<NotificationDelivery, 'id'>): NotificationDelivery {
    const record = { id: this.nextDeliveryId++, ...delivery };
    pushBounded(this.deliveries, record);
    for (const listener of this.deliveryListeners) listener();
    return record;
  }

  onDelivery(listener: () => void): () => void {
    this.deliveryListeners.add(listener);
    return () => this.deliveryListeners.delete(listener);
  }

  addReport(report: ReceivedReport): void {
    pushBounded(this.reports, report);
  }

  addGovSync(record: GovSyncRecord): void {
    pushBounded(this.govSyncs, record);
  }

  reset(): void {
    this.orders.clear();
    this.ordersByPrepayId.clear();
    this.loginCodes.clear();
    this.refunds.clear();
    this.deliveries.length = 0;
    this.reports.length = 0;
    this.govSyncs.length = 0;
  }
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_RECORDS) list.splice(0, list.length - MAX_RECORDS);
}

/** The public view of an order: a copy without internal fields. */
export function publicOrder(order: OrderRecord): EmulatorOrder {
  const { requestParams: _requestParams, ...view } = order;
  return { ...view };
}
