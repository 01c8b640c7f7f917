import { CLOSE_ORDER_MIN_AGE_SECONDS, formatWxPayTime, parseWxPayTime, PREPAY_ID_LIFETIME_SECONDS, type SignType } from '@checkout/protocol/wxpay';
import type { EmulatorClock } from './clock';
import { newOpenid, newPrepayId, newTransactionId } from './ids';
import type { RegisteredMerchant } from './merchant-registry';
import type { EmulatorStore, OrderRecord } from './store';
import type { PayOptions, SeedOrderInput } from '../emulator-types';

export const PREPAY_TTL_MS = PREPAY_ID_LIFETIME_SECONDS * 1000;
export const CLOSE_FLOOR_MS = CLOSE_ORDER_MIN_AGE_SECONDS * 1000;

/** Paid money stays paid: a refunded order (trade_state REFUND) is still a paid order. */
export function isPaid(order: Pick<OrderRecord, 'tradeState'>): boolean {
  return order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND';
}

export type OrderErrorCode =
  | 'ORDERPAID'
  | 'ORDERCLOSED'
  | 'ORDERNOTEXIST'
  | 'OUT_TRADE_NO_USED'
  | 'INVALID_REQUEST'
  | 'CLOSE_TOO_EARLY'
  | 'PREPAY_EXPIRED'
  | 'ORDER_EXPIRED';

/** A business refusal; the route maps it to the documented err_code. */
export class OrderError extends Error {
  override name = 'OrderError';
  constructor(
    readonly code: OrderErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface OrderEvents {
  paid(order: OrderRecord): void;
  failed(order: OrderRecord): void;
}

/** unifiedorder fields that define the order: all but sign and nonce_str; absent sign_type = MD5. */
export function orderDefiningParams(fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(fields).sort()) {
    if (key === 'sign' || key === 'nonce_str') continue;
    const value = fields[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  out.sign_type ??= 'MD5';
  return out;
}

function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** The trade_state machine: NOTPAY → SUCCESS | CLOSED | PAYERROR; PAYERROR may be paid again or closed; SUCCESS → REFUND (refund-lifecycle.ts). */
export class OrderLifecycle {
  constructor(
    private readonly store: EmulatorStore,
    private readonly clock: EmulatorClock,
    private readonly events: OrderEvents,
  ) {}

  /** Creates the order or returns it again for an identical re-order (same prepay_id while valid). */
  unifiedOrder(merchant: RegisteredMerchant, fields: Readonly<Record<string, string>>, signType: SignType): OrderRecord {
    const params = orderDefiningParams(fields);
    const outTradeNo = params.out_trade_no ?? '';
    const existing = this.store.findOrder(merchant.mchId, outTradeNo);
    const nowMs = this.clock.nowMs();
    if (existing !== undefined) {
      if (isPaid(existing)) throw new OrderError('ORDERPAID', '商户订单已支付');
      if (existing.tradeState === 'CLOSED') throw new OrderError('ORDERCLOSED', '订单已关闭');
      // Re-entry must repeat every parameter but sign and nonce_str (订单重入时,要求参数值与原请求一致).
      if (!sameParams(existing.requestParams, params)) throw new OrderError('INVALID_REQUEST', '201 商户订单号重复');
      if (Date.parse(existing.prepayExpiresAt) > nowMs) return existing;
      // Same order after its prepay_id expired: WeChat issues a fresh prepay_id.
      this.store.ordersByPrepayId.delete(existing.prepayId);
      existing.prepayId = newPrepayId(new Date(nowMs));
      existing.prepayExpiresAt = new Date(nowMs + PREPAY_TTL_MS).toISOString();
      this.store.putOrder(existing);
      return existing;
    }
    const order: OrderRecord = {
      appId: merchant.appId,
      mchId: merchant.mchId,
      outTradeNo,
      prepayId: newPrepayId(new Date(nowMs)),
      totalFee: Number(params.total_fee),
      openid: params.openid ?? '',
      notifyUrl: params.notify_url ?? '',
      signType,
      tradeState: 'NOTPAY',
      body: params.body ?? '',
      attach: params.attach,
      deviceInfo: params.device_info,
      goodsTag: params.goods_tag,
      detail: params.detail,
      limitPay: params.limit_pay,
      receipt: params.receipt,
      profitSharing: params.profit_sharing,
      sceneInfo: params.scene_info,
      timeExpire: params.time_expire,
      createdAt: new Date(nowMs).toISOString(),
      prepayExpiresAt: new Date(nowMs + PREPAY_TTL_MS).toISOString(),
      requestParams: params,
    };
    this.store.putOrder(order);
    return order;
  }

  /** An order created directly by the control API (tests pinning official vectors). */
  seed(merchant: RegisteredMerchant, input: SeedOrderInput): OrderRecord {
    const nowMs = this.clock.nowMs();
    const signType = input.signType ?? 'MD5';
    const existing = this.store.findOrder(merchant.mchId, input.outTradeNo);
    if (existing !== undefined) throw new OrderError('OUT_TRADE_NO_USED', `out_trade_no ${input.outTradeNo} already exists`);
    const prepayId = input.prepayId ?? newPrepayId(new Date(nowMs));
    if (this.store.ordersByPrepayId.has(prepayId)) throw new OrderError('OUT_TRADE_NO_USED', `prepay_id ${prepayId} already exists`);
    const order: OrderRecord = {
      appId: input.appId ?? merchant.appId,
      mchId: merchant.mchId,
      outTradeNo: input.outTradeNo,
      prepayId,
      totalFee: input.totalFee,
      openid: input.openid ?? newOpenid(),
      notifyUrl: input.notifyUrl ?? '',
      signType,
      tradeState: 'NOTPAY',
      body: input.body ?? 'seeded order',
      createdAt: new Date(nowMs).toISOString(),
      prepayExpiresAt: new Date(nowMs + PREPAY_TTL_MS).toISOString(),
      requestParams: { out_trade_no: input.outTradeNo, total_fee: String(input.totalFee), sign_type: signType },
    };
    this.store.putOrder(order);
    return order;
  }

  /** Whether the cashier may still take money for this order; throws the reason otherwise. */
  assertPayable(order: OrderRecord): void {
    if (isPaid(order)) throw new OrderError('ORDERPAID', '该订单已支付');
    if (order.tradeState === 'CLOSED') throw new OrderError('ORDERCLOSED', '该订单已关闭');
    const nowMs = this.clock.nowMs();
    if (Date.parse(order.prepayExpiresAt) <= nowMs) throw new OrderError('PREPAY_EXPIRED', 'prepay_id已失效');
    if (order.timeExpire !== undefined && parseWxPayTime(order.timeExpire).getTime() <= nowMs) {
      throw new OrderError('ORDER_EXPIRED', '订单已过期(time_expire)');
    }
  }

  /** `notify: false` records the payment without a pay-result notification (a bill/notification mismatch fault). */
  pay(order: OrderRecord, options: { notify?: boolean } & PayOptions = {}): OrderRecord {
    if (isPaid(order)) throw new OrderError('ORDERPAID', '该订单已支付');
    if (order.tradeState === 'CLOSED') throw new OrderError('ORDERCLOSED', '该订单已关闭');
    const coupons = options.coupons ?? [];
    // 代金券金额<=订单金额; the emulator keeps at least 1 fen in cash so cash_fee is never 0.
    if (coupons.reduce((sum, c) => sum + c.fee, 0) >= order.totalFee) throw new OrderError('INVALID_REQUEST', 'coupons must total less than total_fee');
    const now = this.clock.now();
    if (coupons.length > 0) order.coupons = coupons.map((c) => ({ ...c }));
    order.tradeState = 'SUCCESS';
    order.transactionId = newTransactionId(now);
    order.timeEnd = formatWxPayTime(now);
    if (options.notify !== false) this.events.paid(order);
    return order;
  }

  fail(order: OrderRecord): OrderRecord {
    if (isPaid(order)) throw new OrderError('ORDERPAID', '该订单已支付');
    if (order.tradeState === 'CLOSED') throw new OrderError('ORDERCLOSED', '该订单已关闭');
    order.tradeState = 'PAYERROR';
    this.events.failed(order);
    return order;
  }

  /** closeorder: refused within 5 minutes of creation unless forced (control API). */
  close(order: OrderRecord, options: { force?: boolean } = {}): OrderRecord {
    if (isPaid(order)) throw new OrderError('ORDERPAID', '订单已支付,不能发起关单');
    if (order.tradeState === 'CLOSED') throw new OrderError('ORDERCLOSED', '订单已关闭,无法重复关闭');
    const nowMs = this.clock.nowMs();
    if (options.force !== true && nowMs - Date.parse(order.createdAt) < CLOSE_FLOOR_MS) {
      throw new OrderError('CLOSE_TOO_EARLY', '订单生成后不能马上调用关单接口,最短调用时间间隔为5分钟,请稍后重新调用');
    }
    order.tradeState = 'CLOSED';
    order.closedAt = new Date(nowMs).toISOString();
    return order;
  }
}
