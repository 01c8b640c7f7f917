import { BILL_COLUMNS, BILL_SUMMARY_COLUMNS, type BillLayoutType } from './bill-columns';
import type { BillEntry } from './bill-entry';
import { BILL_RATE_TEXT } from './service-fee';
import { feeText, summaryText, yuanText } from './yuan-text';

/*
 * The bill as downloadbill sends it (layout of the official format page and of a real ALL
 * bill): UTF-8 BOM, CRLF, a header without backticks, every detail and summary value prefixed
 * with a backtick, amounts in yuan with 2 decimals (手续费 5), then the summary header and values.
 */

const CRLF = '\r\n';
const BOM = '\uFEFF';

/** Running totals in fen, added up from the rows as they are written. */
export interface BillTotals {
  count: number;
  settlementTotalFee: number;
  refundFee: number;
  rechargeCouponRefundFee: number;
  serviceFee: number;
  totalFee: number;
  applyRefundFee: number;
}

const emptyTotals = (): BillTotals => ({ count: 0, settlementTotalFee: 0, refundFee: 0, rechargeCouponRefundFee: 0, serviceFee: 0, totalFee: 0, applyRefundFee: 0 });

/**
 * A value that would split the row (a line break, or `,` + backtick, which parsers split on) is
 * made harmless: WeChat's own handling is undocumented.
 */
const safe = (value: string): string => value.replace(/[\r\n]/g, ' ').replaceAll(',`', ",'");

function columnValue(column: string, e: BillEntry): string {
  const r = e.refund;
  switch (column) {
    case '交易时间': return e.tradeTime;
    case '公众账号ID': return e.appId;
    case '商户号': return e.mchId;
    // A direct merchant has no sub-merchant: real bills write 0.
    case '特约商户号': return '0';
    case '设备号': return e.deviceInfo;
    case '微信订单号': return e.transactionId;
    case '商户订单号': return e.outTradeNo;
    case '用户标识': return e.openid;
    case '交易类型': return 'JSAPI';
    case '交易状态': return e.tradeState;
    case '付款银行': return 'OTHERS';
    case '货币种类': return 'CNY';
    case '应结订单金额': return yuanText(e.settlementTotalFee);
    case '代金券金额': return yuanText(0);
    case '退款申请时间': return r?.appliedAt ?? '';
    case '退款成功时间': return r?.succeededAt ?? '';
    // Payment rows of an ALL bill fill the refund numbers with 0 (real bills do).
    case '微信退款单号': return r?.refundId ?? '0';
    case '商户退款单号': return r?.outRefundNo ?? '0';
    case '退款金额': return yuanText(r?.refundFee ?? 0);
    case '充值券退款金额': return yuanText(0);
    case '退款类型': return r === undefined ? '' : 'ORIGINAL';
    case '退款状态': return r?.status ?? '';
    case '商品名称': return e.body;
    case '商户数据包': return e.attach;
    case '手续费': return feeText(e.serviceFee);
    case '费率': return BILL_RATE_TEXT;
    case '订单金额': return yuanText(e.totalFee);
    case '申请退款金额': return yuanText(r?.applyRefundFee ?? 0);
    case '费率备注': return '';
    default: throw new Error(`no value for bill column ${column}`);
  }
}

export function billRowLine(type: BillLayoutType, entry: BillEntry): string {
  return `\`${BILL_COLUMNS[type].map((c) => safe(columnValue(c, entry))).join(',`')}${CRLF}`;
}

export function billSummaryLines(type: BillLayoutType, t: BillTotals): string {
  const values: Readonly<Record<string, string>> = {
    总交易单数: summaryText(t.count, 0),
    应结订单总金额: summaryText(t.settlementTotalFee, 2),
    退款总金额: summaryText(t.refundFee, 2),
    充值券退款总金额: summaryText(t.rechargeCouponRefundFee, 2),
    手续费总金额: summaryText(t.serviceFee, 2),
    订单总金额: summaryText(t.totalFee, 2),
    申请退款总金额: summaryText(t.applyRefundFee, 2),
  };
  const columns = BILL_SUMMARY_COLUMNS[type];
  return `${columns.join(',')}${CRLF}\`${columns.map((c) => values[c] ?? '').join(',`')}${CRLF}`;
}

export interface BillFormatOptions {
  /** Fault: the summary states one fen more in 应结订单总金额 and 订单总金额 than the rows add up to. */
  corruptSummary?: boolean;
  /** Flush size of the produced chunks (default 64 KiB). */
  chunkBytes?: number;
}

/**
 * The bill as UTF-8 chunks, formatted lazily: a row is turned into text only when the consumer
 * (the HTTP response) asks for more, so the text of a large bill is never held whole.
 */
export function* billChunks(type: BillLayoutType, entries: Iterable<BillEntry>, options: BillFormatOptions = {}): Generator<Buffer> {
  const target = options.chunkBytes ?? 64 * 1024;
  const totals = emptyTotals();
  let parts: string[] = [`${BOM}${BILL_COLUMNS[type].join(',')}${CRLF}`];
  let size = 0;
  for (const entry of entries) {
    const line = billRowLine(type, entry);
    totals.count += 1;
    totals.settlementTotalFee += entry.settlementTotalFee;
    totals.serviceFee += entry.serviceFee;
    totals.totalFee += entry.totalFee;
    totals.refundFee += entry.refund?.refundFee ?? 0;
    totals.applyRefundFee += entry.refund?.applyRefundFee ?? 0;
    parts.push(line);
    size += line.length * 3;
    if (size >= target) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      size = 0;
    }
  }
  if (options.corruptSummary === true) {
    totals.settlementTotalFee += 1;
    totals.totalFee += 1;
  }
  parts.push(billSummaryLines(type, totals));
  yield Buffer.from(parts.join(''), 'utf8');
}
