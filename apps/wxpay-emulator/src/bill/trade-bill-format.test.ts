import { describe, expect, it } from 'vitest';
import type { BillEntry } from './bill-entry';
import { billChunks, billRowLine } from './trade-bill-format';

const payment = (i: number): BillEntry => ({
  tradeTime: '2025-03-10 12:00:00',
  appId: 'wx0000000000000001',
  mchId: '1900000109',
  deviceInfo: '',
  transactionId: `4200${String(i).padStart(24, '0')}`,
  outTradeNo: `T${i}`,
  openid: 'oEmu',
  tradeState: 'SUCCESS',
  settlementTotalFee: 100,
  totalFee: 100,
  serviceFee: 1,
  body: 'goods',
  attach: '',
});

describe('trade bill formatting', () => {
  it('writes a payment row of an ALL bill with zeroed refund columns and an empty last column', () => {
    expect(billRowLine('ALL', payment(1))).toBe(
      '`2025-03-10 12:00:00,`wx0000000000000001,`1900000109,`0,`,`4200000000000000000000000001,`T1,`oEmu,`JSAPI,`SUCCESS,`OTHERS,`CNY,`1.00,`0.00,`0,`0,`0.00,`0.00,`,`,`goods,`,`0.01000,`0.60%,`1.00,`0.00,`\r\n',
    );
  });

  it('keeps a value from splitting the row', () => {
    const line = billRowLine('SUCCESS', { ...payment(1), body: 'a,`b\r\nc', attach: 'x\ny' });
    expect(line.slice(1, -2).split(',`')).toHaveLength(20);
    expect(line.slice(0, -2)).not.toMatch(/[\r\n]/);
  });

  it('formats rows only as chunks are asked for', () => {
    let pulled = 0;
    function* rows(): Generator<BillEntry> {
      for (let i = 0; i < 5000; i++) {
        pulled += 1;
        yield payment(i);
      }
    }
    const chunks = billChunks('SUCCESS', rows(), { chunkBytes: 4096 });
    expect(chunks.next().done).toBe(false);
    expect(pulled).toBeLessThan(100);
    let last = '';
    for (const chunk of chunks) last = chunk.toString('utf8');
    expect(pulled).toBe(5000);
    expect(last.endsWith('`5000.0,`5000.0,`50.0,`5000.0\r\n')).toBe(true);
  });
});
