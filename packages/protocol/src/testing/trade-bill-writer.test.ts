import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectTradeBill } from '../wxpay/trade-bill-parser';
import type { TradeBillType } from '../wxpay/trade-bill-columns';
import { codeOf } from './caught-error';
import { TRADE_BILL_FIXTURE_ALL, TRADE_BILL_FIXTURE_REFUND, TRADE_BILL_FIXTURE_SUCCESS } from './trade-bill-fixtures';
import { sampleTradeBillRows } from './trade-bill-sample-rows';
import { formatSummaryNumber, formatTradeBill, formatTradeBillRow, tradeBillChunks } from './trade-bill-writer';

const fixtures: [TradeBillType, string][] = [
  ['ALL', TRADE_BILL_FIXTURE_ALL],
  ['SUCCESS', TRADE_BILL_FIXTURE_SUCCESS],
  ['REFUND', TRADE_BILL_FIXTURE_REFUND],
];

describe('trade bill writer', () => {
  it('writes the hand-written bills byte for byte from their rows, computing the summary itself', async () => {
    for (const [billType, text] of fixtures) {
      const { rows } = await collectTradeBill([text]);
      const written = formatTradeBill(billType, rows);
      expect(Buffer.from(written, 'utf8').equals(Buffer.from(text, 'utf8')), billType).toBe(true);
    }
  });

  it('writes bills the parser reads back to the same rows, for every type, in chunks or gzip', async () => {
    for (const billType of ['ALL', 'SUCCESS', 'REFUND'] as const) {
      const rows = [...sampleTradeBillRows(300, { billType })];
      const chunks = [...tradeBillChunks(billType, rows, { chunkBytes: 1000 })];
      expect(chunks.length).toBeGreaterThan(10);
      const parsed = await collectTradeBill(chunks, { billType });
      expect(parsed.rows.map(({ line: _line, ...row }) => row)).toEqual(rows);
      const zipped = gzipSync(Buffer.concat(chunks));
      expect(gunzipSync(zipped).toString('utf8')).toBe(formatTradeBill(billType, rows));
      expect((await collectTradeBill([zipped], { billType })).summary).toEqual(parsed.summary);
    }
  });

  it('writes an empty day as header and a zero summary', async () => {
    expect(formatTradeBill('SUCCESS', [])).toBe(
      '\uFEFF交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注\r\n' +
        '总交易单数,应结订单总金额,手续费总金额,订单总金额\r\n`0.0,`0.0,`0.0,`0.0\r\n',
    );
    expect((await collectTradeBill([formatTradeBill('ALL', [])])).summary.count).toBe(0);
    expect(formatTradeBill('ALL', [], { bom: false }).startsWith('交易时间')).toBe(true);
  });

  it('formats summary numbers like Java Double.toString', () => {
    expect(formatSummaryNumber(45, 0)).toBe('45.0');
    expect(formatSummaryNumber(47, 2)).toBe('0.47');
    expect(formatSummaryNumber(10, 2)).toBe('0.1');
    expect(formatSummaryNumber(0, 2)).toBe('0.0');
    expect(formatSummaryNumber(-66, 2)).toBe('-0.66');
    expect(formatSummaryNumber(999_999_999, 2)).toBe('9999999.99');
    expect(formatSummaryNumber(1_000_000_000, 2)).toBe('1.0E7');
    expect(formatSummaryNumber(1_234_567_890, 2)).toBe('1.23456789E7');
  });

  it('refuses rows it cannot write faithfully', () => {
    const [row] = [...sampleTradeBillRows(1, { billType: 'SUCCESS' })];
    if (row === undefined) throw new Error('no sample row');
    expect(codeOf(() => formatTradeBillRow('SUCCESS', { ...row, body: 'a,`b' }))).toBe('FIELD_INVALID');
    expect(codeOf(() => formatTradeBillRow('SUCCESS', { ...row, attach: 'a\r\nb' }))).toBe('FIELD_INVALID');
    expect(codeOf(() => formatTradeBillRow('REFUND', row))).toBe('FIELD_MISSING');
    const [refundRow] = [...sampleTradeBillRows(1, { billType: 'REFUND' })];
    if (refundRow === undefined) throw new Error('no sample row');
    expect(codeOf(() => formatTradeBillRow('SUCCESS', refundRow))).toBe('FIELD_INVALID');
    expect(codeOf(() => formatTradeBillRow('SUCCESS', { ...row, totalFee: 1.5 }))).toBe('FIELD_INVALID');
  });
});
