import { fenToYuan } from '../wxpay/bill-amount';
import { formatBillTime } from '../wxpay/bill-time';
import { WxPayValidationError } from '../wxpay/errors';
import { TRADE_BILL_COLUMNS, TRADE_BILL_SUMMARY_COLUMNS, type TradeBillType } from '../wxpay/trade-bill-columns';
import { TradeBillTotals, type TradeBillRowInput, type TradeBillSummary } from '../wxpay/trade-bill-row';

/*
 * Writes trade bills the way downloadbill sends them (byte layout of a real ALL bill): UTF-8 BOM,
 * CRLF line ends, a header without backticks, every row and summary field prefixed with a
 * backtick, amounts with 2 decimals, 手续费 with 5, and a summary computed here from the rows in
 * Java Double.toString style (`45.0`, `0.47`, `0.0`).
 */

export interface TradeBillWriteOptions {
  /** Start with the UTF-8 BOM, as WeChat does (default true). */
  bom?: boolean;
}

const CRLF = '\r\n';

/** A count or a fen amount written like Java's Double.toString of the yuan value. */
export function formatSummaryNumber(value: number, scale: 0 | 2): string {
  if (!Number.isSafeInteger(value)) throw new WxPayValidationError('FIELD_INVALID', 'summary', `${value} is not a safe integer`);
  const sign = value < 0 ? '-' : '';
  const fixed = scale === 0 ? String(Math.abs(value)) : fenToYuan(Math.abs(value));
  const [whole = '0', fraction = ''] = fixed.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  if (whole.length <= 7) return `${sign}${whole}.${trimmed === '' ? '0' : trimmed}`;
  // ≥ 10^7: d.dddE<n>, as Java switches to computerized scientific notation there.
  const digits = (whole + trimmed).replace(/0+$/, '');
  return `${sign}${digits[0] ?? '0'}.${digits.length > 1 ? digits.slice(1) : '0'}E${whole.length - 1}`;
}

const fee5 = (fen: number): string => `${fenToYuan(fen)}000`;

function field(value: string, column: string): string {
  // A field holding ",`" or a line break would shift every later column: refuse to write it.
  if (value.includes(',`') || /[\r\n]/.test(value)) {
    throw new WxPayValidationError('FIELD_INVALID', column, `${column} ${JSON.stringify(value)} cannot be written into a bill`);
  }
  return value;
}

function rowValues(billType: TradeBillType, row: TradeBillRowInput): Record<string, string> {
  const refund = row.refund;
  if (billType === 'SUCCESS' && refund !== undefined) {
    throw new WxPayValidationError('FIELD_INVALID', 'refund', 'a SUCCESS bill has no refund rows');
  }
  if (billType === 'REFUND' && (refund === undefined || refund.appliedAt === undefined)) {
    throw new WxPayValidationError('FIELD_MISSING', 'refund', 'every REFUND bill row needs refund details with appliedAt');
  }
  return {
    交易时间: formatBillTime(row.tradeTime),
    公众账号ID: row.appId,
    商户号: row.mchId,
    特约商户号: row.subMchId,
    设备号: row.deviceInfo,
    微信订单号: row.transactionId,
    商户订单号: row.outTradeNo,
    用户标识: row.openid,
    交易类型: row.tradeType,
    交易状态: row.tradeState,
    付款银行: row.bankType,
    货币种类: row.feeType,
    应结订单金额: fenToYuan(row.settlementTotalFee),
    代金券金额: fenToYuan(row.couponFee),
    退款申请时间: refund?.appliedAt === undefined ? '' : formatBillTime(refund.appliedAt),
    退款成功时间: refund?.succeededAt === undefined ? '' : formatBillTime(refund.succeededAt),
    微信退款单号: refund?.refundId ?? '0',
    商户退款单号: refund?.outRefundNo ?? '0',
    退款金额: fenToYuan(refund?.refundFee ?? 0),
    充值券退款金额: fenToYuan(refund?.rechargeCouponRefundFee ?? 0),
    退款类型: refund?.channel ?? '',
    退款状态: refund?.status ?? '',
    商品名称: row.body,
    商户数据包: row.attach,
    手续费: fee5(row.serviceFee),
    费率: row.rate,
    订单金额: fenToYuan(row.totalFee),
    申请退款金额: fenToYuan(refund?.applyRefundFee ?? 0),
    费率备注: row.rateNote,
  };
}

/** One detail row line (with its CRLF) of a `billType` bill. */
export function formatTradeBillRow(billType: TradeBillType, row: TradeBillRowInput): string {
  const values = rowValues(billType, row);
  return `\`${TRADE_BILL_COLUMNS[billType].map((name) => field(values[name] ?? '', name)).join(',`')}${CRLF}`;
}

/** The summary header and values lines (each with its CRLF). */
export function formatTradeBillSummary(billType: TradeBillType, summary: TradeBillSummary): string {
  const values: Record<string, string> = {
    总交易单数: formatSummaryNumber(summary.count, 0),
    应结订单总金额: formatSummaryNumber(summary.settlementTotalFee, 2),
    退款总金额: formatSummaryNumber(summary.refundFee ?? 0, 2),
    充值券退款总金额: formatSummaryNumber(summary.rechargeCouponRefundFee ?? 0, 2),
    手续费总金额: formatSummaryNumber(summary.serviceFee, 2),
    订单总金额: formatSummaryNumber(summary.totalFee, 2),
    申请退款总金额: formatSummaryNumber(summary.applyRefundFee ?? 0, 2),
  };
  const columns = TRADE_BILL_SUMMARY_COLUMNS[billType];
  return `${columns.join(',')}${CRLF}\`${columns.map((name) => values[name] ?? '').join(',`')}${CRLF}`;
}

/** The whole bill as pieces of text: header, rows, summary; memory stays flat for any row count. */
export function* tradeBillLines(billType: TradeBillType, rows: Iterable<TradeBillRowInput>, options: TradeBillWriteOptions = {}): Generator<string, TradeBillSummary> {
  const totals = new TradeBillTotals(billType);
  yield `${options.bom === false ? '' : '\uFEFF'}${TRADE_BILL_COLUMNS[billType].join(',')}${CRLF}`;
  for (const row of rows) {
    const line = formatTradeBillRow(billType, row);
    totals.add(row);
    yield line;
  }
  const summary = totals.summary();
  yield formatTradeBillSummary(billType, summary);
  return summary;
}

/** The whole bill as one string (for small bills). */
export function formatTradeBill(billType: TradeBillType, rows: Iterable<TradeBillRowInput>, options: TradeBillWriteOptions = {}): string {
  return [...tradeBillLines(billType, rows, options)].join('');
}

/**
 * The bill as UTF-8 chunks of about `chunkBytes` (default 64 KiB), for streaming a large bill
 * into an HTTP response or straight into the parser.
 */
export function* tradeBillChunks(
  billType: TradeBillType,
  rows: Iterable<TradeBillRowInput>,
  options: TradeBillWriteOptions & { chunkBytes?: number } = {},
): Generator<Buffer> {
  const target = options.chunkBytes ?? 64 * 1024;
  let parts: string[] = [];
  let size = 0;
  for (const line of tradeBillLines(billType, rows, options)) {
    parts.push(line);
    size += Buffer.byteLength(line, 'utf8');
    if (size >= target) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(''), 'utf8');
}
