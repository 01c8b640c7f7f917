import { describe, expect, it } from 'vitest';
import { sampleTradeBillRows, tradeBillChunks } from '../testing';
import { readTradeBill } from './trade-bill-parser';

const ROWS = 200_000;

describe('trade bill parser: a large bill', () => {
  it(`streams ${ROWS} rows with the source read only as far as the rows consumed`, async () => {
    // Totals computed from the generated rows, independently of the parser's own summing.
    const expected = { count: 0, totalFee: 0, settlementTotalFee: 0, serviceFee: 0, refundFee: 0, applyRefundFee: 0 };
    for (const row of sampleTradeBillRows(ROWS, { billType: 'ALL' })) {
      expected.count += 1;
      expected.totalFee += row.totalFee;
      expected.settlementTotalFee += row.settlementTotalFee;
      expected.serviceFee += row.serviceFee;
      expected.refundFee += row.refund?.refundFee ?? 0;
      expected.applyRefundFee += row.refund?.applyRefundFee ?? 0;
    }

    let chunksProduced = 0;
    let linesProduced = 0;
    let maxLinesAhead = 0;
    let rowsRead = 0;
    function* source(): Generator<Buffer> {
      for (const chunk of tradeBillChunks('ALL', sampleTradeBillRows(ROWS, { billType: 'ALL' }), { chunkBytes: 64 * 1024 })) {
        chunksProduced += 1;
        for (const byte of chunk) if (byte === 0x0a) linesProduced += 1;
        yield chunk;
      }
    }
    const reader = readTradeBill(source(), { billType: 'ALL' });
    const seen = { count: 0, totalFee: 0, refunds: 0 };
    let chunksAtFirstRow = 0;
    for await (const row of reader) {
      rowsRead += 1;
      if (rowsRead === 1) chunksAtFirstRow = chunksProduced;
      // Lines pulled from the source but not yet handed to us: at most about one chunk's worth.
      maxLinesAhead = Math.max(maxLinesAhead, linesProduced - 1 - rowsRead);
      seen.count += 1;
      seen.totalFee += row.totalFee;
      if (row.refund !== undefined) seen.refunds += 1;
    }
    expect(chunksAtFirstRow).toBe(1);
    // A 64 KiB chunk holds about 270 rows; buffering the bill would put ~200 000 lines ahead.
    expect(maxLinesAhead).toBeLessThan(600);
    expect(chunksProduced).toBeGreaterThan(500);
    expect(seen).toEqual({ count: ROWS, totalFee: expected.totalFee, refunds: Math.floor(ROWS / 7) });
    expect(reader.summary).toEqual({ ...expected, rechargeCouponRefundFee: 0 });
  });
});
