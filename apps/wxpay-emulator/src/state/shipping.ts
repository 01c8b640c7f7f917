import { parseWxPayTime } from '@checkout/protocol/wxpay';
import type { EmulatorRefund } from '../emulator-types';
import type { WxApiError } from '../rules/access-token-rules';
import { DELIVERY_SPLIT, DELIVERY_UNIFIED, MAX_SHIPPING_ITEMS, SHIPPING_ERRORS, type DeliveryMode, type LogisticsType, type ShippingItem, type ShippingUpload } from '../rules/shipping-rules';
import type { EmulatorClock } from './clock';
import { isPaid } from './order-lifecycle';
import { refundedSoFar } from './refund-lifecycle';
import { EmulatorStore, type OrderRecord } from './store';

/** get_order order_state: 1 待发货, 2 已发货, 3 确认收货, 4 交易完成, 5 已退款, 6 资金待结算. */
export type OrderShippingState = 1 | 2 | 3 | 4 | 5 | 6;

/** One accepted upload, as sent (the control API shows them). */
export interface ShippingUploadRecord {
  logistics_type: LogisticsType;
  delivery_mode: DeliveryMode;
  is_all_delivered?: boolean;
  shipping_list: ShippingItem[];
  upload_time: string;
  /** Emulator clock, ISO 8601, when accepted. */
  receivedAt: string;
  /** true when this upload used the order's one re-ship chance. */
  reship: boolean;
}

export interface ShippingRecord {
  mchId: string;
  outTradeNo: string;
  transactionId: string;
  uploads: ShippingUploadRecord[];
  /** 1 after the first shipment, 2 after the re-ship. */
  rounds: number;
  /** The parcels of the current round (split uploads add up; a re-ship replaces them). */
  items: (ShippingItem & { uploadTimeMs: number })[];
  finished: boolean;
  lastUploadTimeMs: number;
  /** Emulator clock ms when the buyer confirmed receipt. */
  confirmedAtMs?: number;
  /** As pushed: 1 = manual, 2 = automatic (the meaning real pushes use; the doc text says the opposite). */
  confirmReceiveMethod?: 1 | 2;
}

/** A refused confirm-receipt (control API: 409). */
export class ShippingError extends Error {
  override name = 'ShippingError';
  constructor(
    readonly code: 'NOT_SHIPPED' | 'ALREADY_CONFIRMED' | 'REFUNDED' | 'ORDER_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

const wx = (errcode: number, errmsg: string): WxApiError => ({ errcode, errmsg });

/** Shipping records per order (mch_id + out_trade_no), on the emulator clock. */
export class ShippingLedger {
  readonly records = new Map<string, ShippingRecord>();
  /**
   * A paid order is unknown to the shipping APIs (10060001) for this long after payment, as when
   * WeChat has not stored it yet (支付后订单需要入库…等待…再试). Default 0.
   */
  private indexDelayMs = 0;

  constructor(
    private readonly store: EmulatorStore,
    private readonly clock: EmulatorClock,
  ) {}

  recordOf(order: Pick<OrderRecord, 'mchId' | 'outTradeNo'>): ShippingRecord | undefined {
    return this.records.get(EmulatorStore.orderKey(order.mchId, order.outTradeNo));
  }

  /** Refunded in full (money that left or is leaving covers the order). */
  fullyRefunded(order: OrderRecord, refunds: readonly EmulatorRefund[] = this.store.refundsOf(order)): boolean {
    return order.tradeState === 'REFUND' && refundedSoFar(refunds) >= order.totalFee;
  }

  stateOf(order: OrderRecord): OrderShippingState {
    if (this.fullyRefunded(order)) return 5;
    const record = this.recordOf(order);
    if (record?.confirmedAtMs !== undefined) return 3;
    if (record?.finished === true) return 2;
    return 1;
  }

  setIndexDelayMs(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`orderIndexDelayMs must be a non-negative integer, got ${String(ms)}`);
    this.indexDelayMs = ms;
  }

  options(): { orderIndexDelayMs: number } {
    return { orderIndexDelayMs: this.indexDelayMs };
  }

  /** Whether the shipping APIs see this order: paid, of the token's app, and stored (see indexDelayMs). */
  visible(appId: string, order: OrderRecord | undefined): order is OrderRecord {
    if (order === undefined || order.appId !== appId || !isPaid(order) || order.transactionId === undefined) return false;
    if (this.indexDelayMs === 0 || order.timeEnd === undefined) return true;
    return this.clock.nowMs() - parseWxPayTime(order.timeEnd).getTime() >= this.indexDelayMs;
  }

  /** The paid order of an upload_shipping_info order_key, for the app of the access token. */
  findOrder(appId: string, key: ShippingUpload['order_key']): OrderRecord | undefined {
    const order =
      key.order_number_type === 1
        ? this.store.findOrder(key.mchid, key.out_trade_no)
        : [...this.store.orders.values()].find((o) => o.transactionId === key.transaction_id);
    return this.visible(appId, order) ? order : undefined;
  }

  /** Applies the order-dependent rules of upload_shipping_info, then records the upload. */
  upload(order: OrderRecord, upload: ShippingUpload): WxApiError | undefined {
    if (upload.payer.openid !== order.openid) return wx(SHIPPING_ERRORS.wrongPayer, '该笔支付单不属于 openid 所指定的用户');
    const key = EmulatorStore.orderKey(order.mchId, order.outTradeNo);
    const existing = this.records.get(key);
    if (this.fullyRefunded(order) || existing?.confirmedAtMs !== undefined) return wx(SHIPPING_ERRORS.notShippable, '支付单处于不可发货的状态');
    const last = existing?.uploads.at(-1);
    // A split shipment still under way takes more parcels without using the re-ship chance.
    const continuing =
      existing !== undefined &&
      last !== undefined &&
      !existing.finished &&
      last.delivery_mode === DELIVERY_SPLIT &&
      upload.delivery_mode === DELIVERY_SPLIT &&
      last.logistics_type === upload.logistics_type;
    if (continuing && existing.items.length + upload.shipping_list.length > MAX_SHIPPING_ITEMS) {
      return wx(SHIPPING_ERRORS.dataFormat, `data format error: a split shipment has at most ${MAX_SHIPPING_ITEMS} parcels (${existing.items.length} already uploaded)`);
    }
    const reship = existing !== undefined && !continuing;
    if (reship && existing.rounds >= 2) return wx(SHIPPING_ERRORS.reshipUsed, '支付单已使用重新发货机会');
    if (existing !== undefined && upload.uploadTimeMs <= existing.lastUploadTimeMs) return wx(SHIPPING_ERRORS.badUploadTime, '上传时间非法，请按照 RFC 3339 格式填写');

    const record: ShippingRecord = existing ?? {
      mchId: order.mchId,
      outTradeNo: order.outTradeNo,
      transactionId: order.transactionId ?? '',
      uploads: [],
      rounds: 1,
      items: [],
      finished: false,
      lastUploadTimeMs: upload.uploadTimeMs,
    };
    if (reship) {
      record.rounds = 2;
      record.items = [];
    }
    record.items.push(...upload.shipping_list.map((item) => ({ ...item, uploadTimeMs: upload.uploadTimeMs })));
    record.finished = upload.delivery_mode === DELIVERY_UNIFIED || upload.is_all_delivered === true;
    record.lastUploadTimeMs = upload.uploadTimeMs;
    record.uploads.push({
      logistics_type: upload.logistics_type,
      delivery_mode: upload.delivery_mode,
      ...(upload.is_all_delivered === undefined ? {} : { is_all_delivered: upload.is_all_delivered }),
      shipping_list: upload.shipping_list.map((item) => structuredClone(item)),
      upload_time: upload.upload_time,
      receivedAt: this.clock.now().toISOString(),
      reship,
    });
    this.records.set(key, record);
    return undefined;
  }

  /** Control API: the buyer confirms receipt (order_state 3). */
  confirmReceipt(order: OrderRecord, method: 1 | 2): ShippingRecord {
    const record = this.recordOf(order);
    if (this.fullyRefunded(order)) throw new ShippingError('REFUNDED', `order ${order.outTradeNo} is refunded in full`);
    if (record === undefined || !record.finished) throw new ShippingError('NOT_SHIPPED', `order ${order.outTradeNo} has not finished shipping`);
    if (record.confirmedAtMs !== undefined) throw new ShippingError('ALREADY_CONFIRMED', `order ${order.outTradeNo} is already confirmed`);
    record.confirmedAtMs = this.clock.nowMs();
    record.confirmReceiveMethod = method;
    return record;
  }

  reset(): void {
    this.records.clear();
    this.indexDelayMs = 0;
  }
}
