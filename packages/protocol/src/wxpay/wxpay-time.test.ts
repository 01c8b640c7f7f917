import { describe, expect, it } from 'vitest';
import { WxPayValidationError } from './errors';
import { formatWxPayTime, parseWxPayTime } from './wxpay-time';

describe('wxpay time', () => {
  it('formats in Beijing time by default', () => {
    const date = new Date('2024-12-31T16:30:05Z');
    expect(formatWxPayTime(date)).toBe('20250101003005');
    expect(formatWxPayTime(date, 0)).toBe('20241231163005');
  });

  it('parses back to the same instant', () => {
    expect(parseWxPayTime('20250101003005').toISOString()).toBe('2024-12-31T16:30:05.000Z');
    expect(parseWxPayTime('20091227091010', 0).toISOString()).toBe('2009-12-27T09:10:10.000Z');
  });

  it('refuses malformed and impossible times', () => {
    for (const bad of ['2025010100300', '202501010030051', '2025-01-01 00:30', '20240230120000', '20241301000000', '20240101240000', '']) {
      expect(() => parseWxPayTime(bad)).toThrow(WxPayValidationError);
    }
    expect(() => formatWxPayTime(new Date(Number.NaN))).toThrow(WxPayValidationError);
  });
});
