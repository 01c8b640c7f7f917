/*
 * The trade bill layouts, copied from the official format page's header lines ("免充值券"
 * settlement format, the default for merchants onboarded since 2018). Written here, not taken
 * from the protocol package, so a column slip there cannot pass both sides.
 */

/** The bill types that have a documented column list (RECHARGE_REFUND has none). */
export type BillLayoutType = 'ALL' | 'SUCCESS' | 'REFUND';

const split = (header: string): readonly string[] => header.split(',');

export const BILL_COLUMNS: Readonly<Record<BillLayoutType, readonly string[]>> = {
  ALL: split(
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
  ),
  SUCCESS: split('交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注'),
  REFUND: split(
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
  ),
};

const WITH_REFUNDS = split('总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额');

export const BILL_SUMMARY_COLUMNS: Readonly<Record<BillLayoutType, readonly string[]>> = {
  ALL: WITH_REFUNDS,
  SUCCESS: split('总交易单数,应结订单总金额,手续费总金额,订单总金额'),
  REFUND: WITH_REFUNDS,
};
