import { describe, expect, it } from 'vitest';
import { randomIds } from './random-ids';

describe('randomIds', () => {
  it('out_trade_no: Beijing time then 18 random base62, 32 characters WeChat Pay accepts', () => {
    // 2026-12-03 16:30:05 UTC is 2026-12-04 00:30:05 in Beijing: the date rolls over too.
    const now = new Date('2026-12-03T16:30:05.000Z');
    const no = randomIds.outTradeNo(now);
    expect(no).toMatch(/^20261204003005[0-9A-Za-z]{18}$/);
    expect(no).toHaveLength(32);
    expect(randomIds.outRefundNo(now)).toMatch(/^R20261204003005[0-9A-Za-z]{18}$/);
    const many = new Set(Array.from({ length: 1000 }, () => randomIds.outTradeNo(now)));
    expect(many.size).toBe(1000);
  });
});
