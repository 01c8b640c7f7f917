/*
 * Column lists of the three trade bills (official format page, "免充值券" settlement format that
 * merchants onboarded since 2018 get). The header line has no backticks; every field of a detail
 * row and of the summary values line starts with one.
 */

export type TradeBillType = 'ALL' | 'SUCCESS' | 'REFUND';

export const TRADE_BILL_TYPES: readonly TradeBillType[] = ['ALL', 'SUCCESS', 'REFUND'];

export function isTradeBillType(value: unknown): value is TradeBillType {
  return value === 'ALL' || value === 'SUCCESS' || value === 'REFUND';
}

const LEADING = ['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额'];
const REFUND = ['微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态'];
const TRAILING_WITH_REFUND = ['商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'];

/** Detail header columns in the order WeChat writes them. */
export const TRADE_BILL_COLUMNS: Readonly<Record<TradeBillType, readonly string[]>> = {
  ALL: [...LEADING, ...REFUND, ...TRAILING_WITH_REFUND],
  SUCCESS: [...LEADING, '商品名称', '商户数据包', '手续费', '费率', '订单金额', '费率备注'],
  REFUND: [...LEADING, '退款申请时间', '退款成功时间', ...REFUND, ...TRAILING_WITH_REFUND],
};

const REFUND_SUMMARY = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'];

/** Summary header columns in the order WeChat writes them. */
export const TRADE_BILL_SUMMARY_COLUMNS: Readonly<Record<TradeBillType, readonly string[]>> = {
  ALL: REFUND_SUMMARY,
  SUCCESS: ['总交易单数', '应结订单总金额', '手续费总金额', '订单总金额'],
  REFUND: REFUND_SUMMARY,
};
