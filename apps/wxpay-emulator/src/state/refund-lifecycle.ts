import { formatWxPayTime, parseWxPayTime, type SignType } from '@checkout/protocol/wxpay';
import type { EmulatorRefund, RefundRequestSource } from '../emulator-types';
import type { EmulatorClock } from './clock';
import { newRefundId } from './ids';
import type { RegisteredMerchant } from './merchant-registry';
import { isPaid } from './order-lifecycle';
import type { EmulatorStore, OrderRecord } from './store';

/** 交易时间超过一年的订单无法提交退款 (payment success time + 365 days). */
export const REFUND_WINDOW_MS = 365 * 24 * 3600 * 1000;
/** 每个支付订单的部分退款次数不能超过50次. */
export const MAX_REFUNDS_PER_ORDER = 50;
/** 同一笔订单多次退款的请求需相隔1分钟. */
export const REFUND_MIN_INTERVAL_MS = 60_000;
/** Where a refund to the buyer's WeChat balance lands (refund_recv_accout). */
export const REFUND_RECV_ACCOUT = '支付用户零钱';

export type RefundErrorCode =
  | 'ORDERNOTEXIST'
  | 'TRADE_OVERDUE'
  | 'PARAM_ERROR'
  | 'INVALID_REQUEST'
  | 'ERROR'
  | 'FREQUENCY_LIMITED'
  /** Control only: the refund already has an outcome. */
  | 'REFUND_FINAL';

/** A refused refund; the route answers err_code = code. */
export class RefundError extends Error {
  override name = 'RefundError';
  constructor(
    readonly code: RefundErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RefundEvents {
  /** The refund reached SUCCESS, REFUNDCLOSE or CHANGE. */
  outcome(refund: EmulatorRefund): void;
}

export interface RefundRequest {
  outRefundNo: string;
  totalFee: number;
  refundFee: number;
  refundDesc?: string;
  refundAccount?: string;
  /** The request's notify_url; otherwise the merchant's refundNotifyUrl. */
  notifyUrl?: string;
  signType: SignType;
  source: RefundRequestSource;
}

export interface RefundLifecycleOptions {
  settleMs: number;
  minIntervalMs: number;
}

/** `yyyy-MM-dd HH:mm:ss` Beijing, the refund time format (success_time, refund_success_time_$n). */
function refundTime(date: Date): string {
  const t = formatWxPayTime(date);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}

/**
 * The refund_status machine: PROCESSING → SUCCESS | REFUNDCLOSE | CHANGE, all final. A refund
 * settles by itself after `settleMs` unless refunds are held; control settles, closes or changes it.
 */
export class RefundLifecycle {
  private held = false;
  private readonly timers = new Map<EmulatorRefund, NodeJS.Timeout>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly clock: EmulatorClock,
    private readonly events: RefundEvents,
    private readonly options: RefundLifecycleOptions,
  ) {}

  /**
   * Accepts a refund of a paid order, or answers the same refund again for a repeated
   * out_refund_no (同一退款单号多次请求只退一笔). Throws RefundError with the err_code otherwise.
   */
  request(merchant: RegisteredMerchant, order: OrderRecord, input: RefundRequest): { refund: EmulatorRefund; repeated: boolean } {
    const existing = this.store.findRefund(merchant.mchId, input.outRefundNo);
    if (existing !== undefined) {
      if (existing.outTradeNo !== order.outTradeNo || existing.totalFee !== input.totalFee || existing.refundFee !== input.refundFee) {
        throw new RefundError('PARAM_ERROR', '订单金额或退款金额与之前请求不一致,请核实后再试');
      }
      return { refund: existing, repeated: true };
    }
    if (!isPaid(order)) throw new RefundError('ORDERNOTEXIST', '未支付的订单不能发起退款');
    if (input.totalFee !== order.totalFee) throw new RefundError('PARAM_ERROR', '订单金额total_fee与实际支付金额不一致');
    const nowMs = this.clock.nowMs();
    if (order.timeEnd !== undefined && nowMs - parseWxPayTime(order.timeEnd).getTime() > REFUND_WINDOW_MS) {
      throw new RefundError('TRADE_OVERDUE', '订单已经超过退款期限');
    }
    const previous = this.store.refundsOf(order);
    if (previous.length >= MAX_REFUNDS_PER_ORDER) throw new RefundError('ERROR', `每个支付订单的部分退款次数不能超过${MAX_REFUNDS_PER_ORDER}次`);
    const remaining = order.totalFee - refundedSoFar(previous);
    if (input.refundFee > remaining) {
      throw new RefundError('INVALID_REQUEST', remaining === 0 ? '订单已全额退款' : `refund_fee大于可退金额(可退${remaining}分)`);
    }
    const last = previous.at(-1);
    if (input.source === 'API' && last !== undefined && nowMs - Date.parse(last.createdAt) < this.options.minIntervalMs) {
      throw new RefundError('FREQUENCY_LIMITED', '同一笔订单多次退款的请求需相隔1分钟');
    }
    const now = new Date(nowMs);
    const refundId = newRefundId(now);
    const refund: EmulatorRefund = {
      appId: order.appId,
      mchId: order.mchId,
      outTradeNo: order.outTradeNo,
      transactionId: order.transactionId ?? '',
      // Refunds started on the platform get a WeChat-made number.
      outRefundNo: input.source === 'VENDOR_PLATFORM' ? refundId : input.outRefundNo,
      refundId,
      totalFee: order.totalFee,
      refundFee: input.refundFee,
      settlementRefundFee: input.refundFee,
      cashRefundFee: input.refundFee,
      refundStatus: 'PROCESSING',
      ...(input.refundDesc === undefined ? {} : { refundDesc: input.refundDesc }),
      refundAccount: input.refundAccount ?? 'REFUND_SOURCE_UNSETTLED_FUNDS',
      refundRecvAccout: REFUND_RECV_ACCOUT,
      refundRequestSource: input.source,
      notifyUrl: input.notifyUrl ?? merchant.refundNotifyUrl ?? '',
      signType: input.signType,
      createdAt: now.toISOString(),
    };
    this.store.putRefund(refund);
    order.tradeState = 'REFUND';
    if (!this.held) this.schedule(refund);
    return { refund, repeated: false };
  }

  settle(refund: EmulatorRefund): EmulatorRefund {
    return this.finish(refund, 'SUCCESS');
  }

  close(refund: EmulatorRefund): EmulatorRefund {
    return this.finish(refund, 'REFUNDCLOSE');
  }

  change(refund: EmulatorRefund): EmulatorRefund {
    return this.finish(refund, 'CHANGE');
  }

  isHeld(): boolean {
    return this.held;
  }

  /** Holding stops pending settlements; releasing schedules every refund still PROCESSING. */
  hold(held: boolean): void {
    this.held = held;
    if (held) this.stopAll();
    else for (const refund of this.store.refunds.values()) if (refund.refundStatus === 'PROCESSING') this.schedule(refund);
  }

  /** Back to the start: no hold, nothing pending (reset). */
  reset(): void {
    this.held = false;
    this.stopAll();
  }

  /** Cancels pending settlements (reset, close). */
  stopAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(refund: EmulatorRefund): void {
    if (this.timers.has(refund)) return;
    const timer = setTimeout(() => {
      this.timers.delete(refund);
      if (refund.refundStatus === 'PROCESSING') this.finish(refund, 'SUCCESS');
    }, this.options.settleMs);
    timer.unref();
    this.timers.set(refund, timer);
  }

  private finish(refund: EmulatorRefund, status: 'SUCCESS' | 'REFUNDCLOSE' | 'CHANGE'): EmulatorRefund {
    if (refund.refundStatus !== 'PROCESSING') throw new RefundError('REFUND_FINAL', `refund ${refund.outRefundNo} is already ${refund.refundStatus}`);
    const timer = this.timers.get(refund);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(refund);
    const now = this.clock.now();
    refund.refundStatus = status;
    refund.settledAt = now.toISOString();
    if (status === 'SUCCESS') refund.successTime = refundTime(now);
    this.events.outcome(refund);
    return refund;
  }
}

/** Money that left or is leaving the order: every refund but closed ones (a CHANGE refund is still owed to the buyer). */
export function refundedSoFar(refunds: readonly EmulatorRefund[]): number {
  return refunds.reduce((sum, r) => (r.refundStatus === 'REFUNDCLOSE' ? sum : sum + r.refundFee), 0);
}
