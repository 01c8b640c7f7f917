import type { RefundStatus } from '@checkout/protocol/wxpay';

/** One detail row of a bill, amounts in integer fen, times as the bill prints them (Beijing). */
export interface BillEntry {
  /** 交易时间: the payment's time_end, or when the refund was requested. `yyyy-MM-dd HH:mm:ss`. */
  tradeTime: string;
  appId: string;
  mchId: string;
  deviceInfo: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  /** 交易状态: SUCCESS on a payment row, REFUND on a refund row. */
  tradeState: 'SUCCESS' | 'REFUND';
  /** 应结订单金额: the paid amount (no coupons in the emulator); 0 on a refund row. */
  settlementTotalFee: number;
  /** 订单金额: 0 on a refund row. */
  totalFee: number;
  /** 手续费: negative on a refund row (the fee returned). */
  serviceFee: number;
  body: string;
  attach: string;
  refund?: {
    refundId: string;
    outRefundNo: string;
    /** 退款金额 (settlement refund fee). */
    refundFee: number;
    /** 申请退款金额. */
    applyRefundFee: number;
    /** 退款状态 as it was when the bill was built. */
    status: RefundStatus;
    /** 退款申请时间, `yyyy-MM-dd HH:mm:ss`. */
    appliedAt: string;
    /** 退款成功时间 when it had succeeded by then, else ''. */
    succeededAt: string;
  };
}
