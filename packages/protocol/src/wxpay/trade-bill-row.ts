import type { TradeBillType } from './trade-bill-columns';

/*
 * Typed trade bill rows. Amounts are integer fen, times are instants. A row is a snapshot taken
 * when the bill was built: a refund row keeps the status it had when the refund was accepted.
 */

/** 交易状态. Values seen in real bills; anything else is refused as a malformed row. */
export type TradeBillTradeState = 'SUCCESS' | 'REFUND' | 'REVOKED';
export const TRADE_BILL_TRADE_STATES: readonly TradeBillTradeState[] = ['SUCCESS', 'REFUND', 'REVOKED'];

/** 退款类型: back to the original payment method, or to the user's balance. */
export type TradeBillRefundChannel = 'ORIGINAL' | 'BALANCE';
export const TRADE_BILL_REFUND_CHANNELS: readonly TradeBillRefundChannel[] = ['ORIGINAL', 'BALANCE'];

/** 退款状态 at the time the bill was built (the refund API's statuses; bills show SUCCESS / PROCESSING). */
export type TradeBillRefundStatus = 'SUCCESS' | 'PROCESSING' | 'REFUNDCLOSE' | 'CHANGE';
export const TRADE_BILL_REFUND_STATUSES: readonly TradeBillRefundStatus[] = ['SUCCESS', 'PROCESSING', 'REFUNDCLOSE', 'CHANGE'];

export interface TradeBillRefund {
  /** 微信退款单号 */
  refundId: string;
  /** 商户退款单号 */
  outRefundNo: string;
  /** 退款金额 (fen): what leaves the merchant, net of non-recharge coupons. */
  refundFee: number;
  /** 充值券退款金额 (fen) */
  rechargeCouponRefundFee: number;
  /** 退款类型 */
  channel: TradeBillRefundChannel;
  /** 退款状态 */
  status: TradeBillRefundStatus;
  /** 申请退款金额 (fen): what the merchant asked for. */
  applyRefundFee: number;
  /** 退款申请时间 (REFUND bills only). */
  appliedAt?: Date;
  /** 退款成功时间 (REFUND bills only, when it had succeeded). */
  succeededAt?: Date;
}

export interface TradeBillRow {
  /** 1-based line number in the file, for error reports. */
  line: number;
  /** 交易时间: payment success time, or for a refund row the time the refund was accepted. */
  tradeTime: Date;
  /** 公众账号ID: the appid used at trade time. */
  appId: string;
  /** 商户号 */
  mchId: string;
  /** 特约商户号: the sub-merchant in partner mode, `'0'` for a direct merchant. */
  subMchId: string;
  /** 设备号 (may be empty) */
  deviceInfo: string;
  /** 微信订单号 */
  transactionId: string;
  /** 商户订单号 */
  outTradeNo: string;
  /** 用户标识 (openid) */
  openid: string;
  /** 交易类型: JSAPI, NATIVE, APP, MWEB, MICROPAY, … (kept as written). */
  tradeType: string;
  /** 交易状态 */
  tradeState: TradeBillTradeState;
  /** 付款银行 */
  bankType: string;
  /** 货币种类 */
  feeType: string;
  /** 应结订单金额 (fen): order amount net of non-recharge coupons; 0 on a refund row. */
  settlementTotalFee: number;
  /** 代金券金额 (fen) */
  couponFee: number;
  /** The refund columns; absent on a payment row (and always on a SUCCESS bill). */
  refund?: TradeBillRefund;
  /** 商品名称 */
  body: string;
  /** 商户数据包 (attach) */
  attach: string;
  /** 手续费 (fen); negative on a refund row that returns the fee. */
  serviceFee: number;
  /** 费率, as written (e.g. `0.60%`). */
  rate: string;
  /** 订单金额 (fen); 0 on a refund row. */
  totalFee: number;
  /** 费率备注 */
  rateNote: string;
}

/** A row as the bill writer takes it (the line number is the writer's business). */
export type TradeBillRowInput = Omit<TradeBillRow, 'line'>;

/** The summary line, typed; refund totals exist on ALL and REFUND bills only. */
export interface TradeBillSummary {
  /** 总交易单数 */
  count: number;
  /** 应结订单总金额 */
  settlementTotalFee: number;
  /** 退款总金额 */
  refundFee?: number;
  /** 充值券退款总金额 */
  rechargeCouponRefundFee?: number;
  /** 手续费总金额 */
  serviceFee: number;
  /** 订单总金额 */
  totalFee: number;
  /** 申请退款总金额 */
  applyRefundFee?: number;
}

/** Running totals of rows, in fen; `summary()` is what the summary line must say. */
export class TradeBillTotals {
  count = 0;
  settlementTotalFee = 0;
  refundFee = 0;
  rechargeCouponRefundFee = 0;
  serviceFee = 0;
  totalFee = 0;
  applyRefundFee = 0;

  constructor(readonly billType: TradeBillType) {}

  add(row: TradeBillRowInput): void {
    this.count += 1;
    this.settlementTotalFee += row.settlementTotalFee;
    this.serviceFee += row.serviceFee;
    this.totalFee += row.totalFee;
    if (row.refund !== undefined) {
      this.refundFee += row.refund.refundFee;
      this.rechargeCouponRefundFee += row.refund.rechargeCouponRefundFee;
      this.applyRefundFee += row.refund.applyRefundFee;
    }
  }

  summary(): TradeBillSummary {
    const base = { count: this.count, settlementTotalFee: this.settlementTotalFee, serviceFee: this.serviceFee, totalFee: this.totalFee };
    if (this.billType === 'SUCCESS') return base;
    return { ...base, refundFee: this.refundFee, rechargeCouponRefundFee: this.rechargeCouponRefundFee, applyRefundFee: this.applyRefundFee };
  }
}
