import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRADE_BILL_FIXTURE_ALL, TRADE_BILL_FIXTURE_REFUND, TRADE_BILL_FIXTURE_SUCCESS } from '../testing';
import { WxPayDownloadBillError } from './downloadbill';
import { WxPayError } from './errors';
import { collectTradeBill, readTradeBill, type TradeBillParseOptions, type TradeBillSource } from './trade-bill-parser';
import { WxPayBillError } from './trade-bill-error';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

async function failure(source: TradeBillSource, options?: TradeBillParseOptions): Promise<WxPayError> {
  try {
    await collectTradeBill(source, options);
  } catch (error) {
    if (error instanceof WxPayError) return error;
    throw error;
  }
  throw new Error('expected the bill to be refused');
}

/** Replaces the `index`-th line (0-based, BOM kept on line 0) of a CRLF bill. */
function withLine(bill: string, index: number, replace: (line: string) => string): string {
  const parts = bill.split('\r\n');
  parts[index] = replace(parts[index] ?? '');
  return parts.join('\r\n');
}

describe('trade bill parser: typed rows', () => {
  it('types every column of an ALL bill: fen, instants, enums, refund columns', async () => {
    const { billType, rows, summary } = await collectTradeBill([bytes(TRADE_BILL_FIXTURE_ALL)], { billType: 'ALL' });
    expect(billType).toBe('ALL');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      line: 2,
      tradeTime: new Date('2025-11-25T01:15:02Z'),
      appId: 'wx2421b1c4370ec43b',
      mchId: '10000100',
      subMchId: '0',
      deviceInfo: '',
      transactionId: '4200002345202511251234567890',
      outTradeNo: 'T20251125001',
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      tradeType: 'JSAPI',
      tradeState: 'SUCCESS',
      bankType: 'OTHERS',
      feeType: 'CNY',
      settlementTotalFee: 9900,
      couponFee: 0,
      body: '测试商品',
      attach: '',
      serviceFee: 59,
      rate: '0.60%',
      totalFee: 9900,
      rateNote: '',
    });
    expect(rows[1]).toMatchObject({ settlementTotalFee: 123450, couponFee: 1000, totalFee: 124450, serviceFee: 741, body: '咖啡, 大杯', attach: 'a=1' });
    expect(rows[2]).toMatchObject({
      line: 4,
      tradeState: 'REFUND',
      serviceFee: -59,
      totalFee: 0,
      refund: { refundId: '50300908092025112512345678901', outRefundNo: 'R20251125001', refundFee: 9900, rechargeCouponRefundFee: 0, channel: 'ORIGINAL', status: 'PROCESSING', applyRefundFee: 9900 },
    });
    expect(rows[0]?.refund).toBeUndefined();
    // 23:59:59 Beijing is still the bill day, 15:59:59 UTC.
    expect(rows[3]?.tradeTime.toISOString()).toBe('2025-11-25T15:59:59.000Z');
    expect(summary).toEqual({ count: 4, settlementTotalFee: 133351, refundFee: 9900, rechargeCouponRefundFee: 0, serviceFee: 741, totalFee: 134351, applyRefundFee: 9900 });
  });

  it('reads SUCCESS and REFUND bills with their own columns and summaries', async () => {
    const success = await collectTradeBill([TRADE_BILL_FIXTURE_SUCCESS]);
    expect(success.billType).toBe('SUCCESS');
    expect(success.rows.map((r) => r.refund)).toEqual([undefined, undefined]);
    expect(success.summary).toEqual({ count: 2, settlementTotalFee: 133350, serviceFee: 800, totalFee: 134350 });

    const refund = await collectTradeBill([TRADE_BILL_FIXTURE_REFUND], { billType: 'REFUND' });
    expect(refund.rows[0]?.refund).toMatchObject({ appliedAt: new Date('2025-11-25T10:30:45Z'), succeededAt: new Date('2025-11-25T10:31:02Z'), status: 'SUCCESS' });
    expect(refund.rows[1]?.refund).toMatchObject({ channel: 'BALANCE', status: 'PROCESSING', refundFee: 1234 });
    expect(refund.rows[1]?.refund?.succeededAt).toBeUndefined();
    expect(refund.summary).toMatchObject({ count: 2, refundFee: 11134, applyRefundFee: 11134, serviceFee: -66, totalFee: 0 });
  });

  it('exposes the checked summary only once the iteration has finished', async () => {
    const reader = readTradeBill([TRADE_BILL_FIXTURE_ALL]);
    const seen: (number | undefined)[] = [];
    for await (const row of reader) seen.push(row.line, reader.summary?.count);
    expect(seen).toEqual([2, undefined, 3, undefined, 4, undefined, 5, undefined]);
    expect(reader.summary?.count).toBe(4);
    expect(() => reader[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it('accepts a bill without BOM, with LF line ends, with the columns in another order', async () => {
    const plain = TRADE_BILL_FIXTURE_ALL.slice(1).replaceAll('\r\n', '\n');
    expect((await collectTradeBill([plain])).summary.count).toBe(4);

    // Swap 商户号 and 设备号 in the header and in every row: fields are found by name.
    const swapped = TRADE_BILL_FIXTURE_ALL.split('\r\n')
      .map((line, i) => {
        if (i >= 5 || line === '') return line;
        const sep = i === 0 ? ',' : ',`';
        const parts = i === 0 ? line.split(sep) : line.slice(1).split(sep);
        [parts[2], parts[4]] = [parts[4] ?? '', parts[2] ?? ''];
        return i === 0 ? parts.join(sep) : `\`${parts.join(sep)}`;
      })
      .join('\r\n');
    const { rows } = await collectTradeBill([swapped]);
    expect(rows[1]).toMatchObject({ mchId: '10000100', deviceInfo: 'WEB' });
  });

  it('reads a Java-style summary in scientific notation (ten million yuan and up)', async () => {
    const rows = [
      '`2025-11-25 09:15:02,`wx1,`10000100,`0,`,`4200000000000000000000000001,`T1,`o1,`JSAPI,`SUCCESS,`OTHERS,`CNY,`12345678.90,`0.00,`品,`,`0.00000,`0.60%,`12345678.90,`',
    ];
    const bill = `${TRADE_BILL_FIXTURE_SUCCESS.split('\r\n')[0]}\r\n${rows.join('\r\n')}\r\n总交易单数,应结订单总金额,手续费总金额,订单总金额\r\n\`1.0,\`1.23456789E7,\`0.0,\`1.23456789E7\r\n`;
    expect((await collectTradeBill([bill])).summary).toEqual({ count: 1, settlementTotalFee: 1234567890, serviceFee: 0, totalFee: 1234567890 });
  });

  it('accepts a Node Readable and a web ReadableStream as the source', async () => {
    expect((await collectTradeBill(Readable.from([bytes(TRADE_BILL_FIXTURE_ALL)]))).rows).toHaveLength(4);
    const web = new Blob([bytes(TRADE_BILL_FIXTURE_ALL)]).stream() as unknown as AsyncIterable<Uint8Array>;
    expect((await collectTradeBill(web)).rows).toHaveLength(4);
  });
});

describe('trade bill parser: chunk boundaries', () => {
  const all = bytes(TRADE_BILL_FIXTURE_ALL);
  const expected = collectTradeBill([all]);

  it('gives the same result for a split at every byte (inside UTF-8 characters, between CR and LF)', async () => {
    const want = await expected;
    for (let i = 1; i < all.length; i++) {
      const got = await collectTradeBill([all.subarray(0, i), all.subarray(i)]);
      expect(got).toEqual(want);
    }
  });

  it('gives the same result for one-byte chunks and for text split at every character', async () => {
    const want = await expected;
    expect(await collectTradeBill(Array.from(all, (b) => Uint8Array.of(b)))).toEqual(want);
    const text = TRADE_BILL_FIXTURE_ALL;
    for (let i = 1; i < text.length; i++) {
      expect(await collectTradeBill([text.slice(0, i), text.slice(i)])).toEqual(want);
    }
  });

  it('gives the same result for any random chunking, plain or gzip', async () => {
    const want = await expected;
    const gz = gzipSync(all);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: all.length - 1 }), { maxLength: 12 }), fc.boolean(), async (cuts, zipped) => {
        const body = zipped ? gz : all;
        const points = [0, ...cuts.filter((c) => c < body.length).sort((a, b) => a - b), body.length];
        const chunks = points.slice(1).map((end, i) => body.subarray(points[i], end));
        expect(await collectTradeBill(chunks)).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });

  it('decompresses a gzip body (tar_type=GZIP) even in one-byte chunks', async () => {
    const gz = gzipSync(all);
    expect(await collectTradeBill(Array.from(gz, (b) => Uint8Array.of(b)))).toEqual(await expected);
  });
});

describe('trade bill parser: refusals', () => {
  const codeOf = async (source: TradeBillSource | string, options?: TradeBillParseOptions): Promise<string> =>
    (await failure(typeof source === 'string' ? [source] : source, options)).code;

  it('count mismatch: the summary says another number of rows', async () => {
    const bill = withLine(TRADE_BILL_FIXTURE_ALL, 6, (l) => l.replace('`4.0,', '`5.0,'));
    const error = await failure([bill]);
    expect(error).toBeInstanceOf(WxPayBillError);
    expect(error.code).toBe('BILL_COUNT_MISMATCH');
    expect((error as WxPayBillError).line).toBe(7);
  });

  it('totals mismatch: each summary total is checked against its column', async () => {
    const values = ['4.0', '1333.51', '99.0', '0.0', '7.41', '1343.51', '99.0'];
    const columns = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'];
    expect(withLine(TRADE_BILL_FIXTURE_ALL, 6, () => `\`${values.join(',`')}`)).toBe(TRADE_BILL_FIXTURE_ALL);
    for (let i = 1; i < values.length; i++) {
      const changed = values.map((v, j) => (j === i ? '12345.67' : v));
      const error = (await failure([withLine(TRADE_BILL_FIXTURE_ALL, 6, () => `\`${changed.join(',`')}`)])) as WxPayBillError;
      expect([error.code, error.column]).toEqual(['BILL_TOTAL_MISMATCH', columns[i]]);
    }
  });

  it('a changed row amount makes the totals disagree', async () => {
    const bill = withLine(TRADE_BILL_FIXTURE_ALL, 1, (l) => l.replace('`99.00,`0.00,`0,', '`98.99,`0.00,`0,'));
    expect(await codeOf(bill)).toBe('BILL_TOTAL_MISMATCH');
  });

  it('missing summary: the rows end cleanly and nothing follows', async () => {
    const cut = TRADE_BILL_FIXTURE_ALL.split('\r\n').slice(0, 5).join('\r\n') + '\r\n';
    expect(await codeOf(cut)).toBe('BILL_SUMMARY_MISSING');
    expect(await codeOf(`${cut}\r\n`)).toBe('BILL_SUMMARY_MISSING');
  });

  it('truncated: inside a row, after the summary header, inside the gzip stream, inside a character', async () => {
    const all = TRADE_BILL_FIXTURE_ALL;
    expect(await codeOf(all.slice(0, all.indexOf('T20251125002')))).toBe('BILL_TRUNCATED');
    expect(await codeOf(all.slice(0, all.indexOf('`4.0')))).toBe('BILL_TRUNCATED');
    const gz = gzipSync(bytes(all));
    expect(await codeOf([gz.subarray(0, gz.length - 12)])).toBe('BILL_TRUNCATED');
    const raw = bytes(all);
    const cutInChar = raw.indexOf(bytes('测试')) + 1;
    expect(await codeOf([raw.subarray(0, cutInChar)])).toBe('BILL_TRUNCATED');
  });

  it('a cut inside the last summary value that changes it is caught by the totals', async () => {
    const all = TRADE_BILL_FIXTURE_ALL;
    expect(await codeOf(all.slice(0, all.length - 5))).toBe('BILL_TOTAL_MISMATCH'); // `99.0 → `9
    // `99.0 → `99 is the same amount: nothing was lost, and the bill reads.
    expect((await collectTradeBill([all.slice(0, all.length - 4)])).summary.applyRefundFee).toBe(9900);
  });

  it('malformed rows: field count, amounts with 3 decimals, float-looking amounts, bad time, unknown state, sub-fen fee', async () => {
    const cases: [(l: string) => string, string][] = [
      [(l) => l.replace(',`0.60%', ''), ''],
      [(l) => l.replace('`99.00,`0.00,`0,', '`99.000,`0.00,`0,'), '应结订单金额'],
      [(l) => l.replace('`99.00,`0.00,`0,', '`9.9e1,`0.00,`0,'), '应结订单金额'],
      [(l) => l.replace('`99.00,`0.00,`0,', '`-99.00,`0.00,`0,'), '应结订单金额'],
      [(l) => l.replace('2025-11-25 09:15:02', '2025-02-30 09:15:02'), '交易时间'],
      [(l) => l.replace('`SUCCESS', '`PAID'), '交易状态'],
      [(l) => l.replace('`0.59000', '`0.59500'), '手续费'],
      [(l) => l.replace('`4200002345202511251234567890', '`'), '微信订单号'],
      [(l) => l.replace('`0,`0,`0.00,`0.00,`,`', '`0,`0,`1.00,`0.00,`,`'), '微信退款单号'],
    ];
    for (const [edit, column] of cases) {
      const error = (await failure([withLine(TRADE_BILL_FIXTURE_ALL, 1, edit)])) as WxPayBillError;
      expect([error.code, error.line, error.column]).toEqual(['BILL_MALFORMED_ROW', 2, column === '' ? undefined : column]);
    }
    const badRefund = (await failure([withLine(TRADE_BILL_FIXTURE_ALL, 3, (l) => l.replace('`ORIGINAL', '`SOMEWHERE'))])) as WxPayBillError;
    expect([badRefund.code, badRefund.column]).toEqual(['BILL_MALFORMED_ROW', '退款类型']);
  });

  it('malformed structure: blank line among rows, stray line, bad summary values', async () => {
    expect(await codeOf(withLine(TRADE_BILL_FIXTURE_ALL, 2, (l) => `\r\n${l}`))).toBe('BILL_MALFORMED_ROW');
    expect(await codeOf(withLine(TRADE_BILL_FIXTURE_ALL, 2, (l) => l.slice(1)))).toBe('BILL_MALFORMED_ROW');
    expect(await codeOf(withLine(TRADE_BILL_FIXTURE_ALL, 6, (l) => l.slice(1)))).toBe('BILL_MALFORMED_SUMMARY');
    expect(await codeOf(withLine(TRADE_BILL_FIXTURE_ALL, 6, (l) => l.replace('`1333.51', '`1333.515')))).toBe('BILL_MALFORMED_SUMMARY');
    expect(await codeOf(withLine(TRADE_BILL_FIXTURE_ALL, 6, (l) => l.replace('`4.0', '`4.5')))).toBe('BILL_MALFORMED_SUMMARY');
    expect(await codeOf(withLine(TRADE_BILL_FIXTURE_ALL, 6, (l) => `${l},\`0.0`))).toBe('BILL_MALFORMED_SUMMARY');
    expect(await codeOf(`${TRADE_BILL_FIXTURE_ALL}\`extra\r\n`)).toBe('BILL_TRAILING_CONTENT');
    expect((await collectTradeBill([`${TRADE_BILL_FIXTURE_ALL}\r\n\r\n`])).rows).toHaveLength(4);
  });

  it('unknown header, legacy format, wrong bill type', async () => {
    expect(await codeOf(withLine(TRADE_BILL_FIXTURE_ALL, 0, (l) => l.replace('应结订单金额', '总金额')))).toBe('BILL_UNKNOWN_HEADER');
    expect(await codeOf(withLine(TRADE_BILL_FIXTURE_ALL, 0, (l) => `${l},新列`))).toBe('BILL_UNKNOWN_HEADER');
    expect(await codeOf(TRADE_BILL_FIXTURE_ALL, { billType: 'REFUND' })).toBe('BILL_TYPE_MISMATCH');
    expect(await codeOf(TRADE_BILL_FIXTURE_SUCCESS, { billType: 'ALL' })).toBe('BILL_TYPE_MISMATCH');
  });

  it('empty body, invalid UTF-8, broken gzip, overlong line', async () => {
    expect(await codeOf([])).toBe('BILL_EMPTY');
    expect(await codeOf([new Uint8Array(0), '\uFEFF'])).toBe('BILL_EMPTY');
    const latin1 = Buffer.from(TRADE_BILL_FIXTURE_ALL.replace('测试商品', 'caf\u00e9'), 'latin1');
    expect(await codeOf([latin1])).toBe('BILL_ENCODING_INVALID');
    const gz = gzipSync(bytes(TRADE_BILL_FIXTURE_ALL));
    const crc = gz.length - 8; // the CRC-32 in the gzip trailer
    gz[crc] = (gz[crc] ?? 0) ^ 0xff;
    expect(await codeOf([gz])).toBe('BILL_GZIP_INVALID');
    expect(await codeOf([`${'x'.repeat(2000)}`], { maxLineLength: 1000 })).toBe('BILL_LINE_TOO_LONG');
    expect(await codeOf([TRADE_BILL_FIXTURE_ALL], { maxLineLength: 100 })).toBe('BILL_LINE_TOO_LONG');
  });

  it('an XML error answer is a WxPayDownloadBillError, plain or where gzip was asked for', async () => {
    const xml = '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[No Bill Exist]]></return_msg><error_code><![CDATA[20002]]></error_code></xml>';
    for (const source of [[xml], [bytes(xml)], Array.from(bytes(xml), (b) => Uint8Array.of(b)), [gzipSync(bytes(xml))]]) {
      const error = await failure(source);
      expect(error).toBeInstanceOf(WxPayDownloadBillError);
      expect([(error as WxPayDownloadBillError).kind, (error as WxPayDownloadBillError).errorCode]).toEqual(['no_trades_that_day', '20002']);
    }
    expect(await codeOf(['\r\n  <xml><return_code>SUCCESS</return_code></xml>'])).toBe('BILL_UNEXPECTED_XML');
    expect(await codeOf(['<xml><return_code>FAIL'])).toBe('XML_INVALID');
  });

  it('passes a failure of the source itself through unchanged', async () => {
    const boom = new Error('socket hang up');
    async function* source(): AsyncGenerator<Uint8Array> {
      yield bytes(TRADE_BILL_FIXTURE_ALL.slice(0, 400));
      await Promise.resolve();
      throw boom;
    }
    await expect(collectTradeBill(source())).rejects.toBe(boom);
    async function* zipped(): AsyncGenerator<Uint8Array> {
      yield gzipSync(bytes(TRADE_BILL_FIXTURE_ALL)).subarray(0, 100);
      await Promise.resolve();
      throw boom;
    }
    await expect(collectTradeBill(zipped())).rejects.toBe(boom);
  });
});
