import { describe, expect, it } from 'vitest';
import { WxPayValidationError } from './errors';
import { formatWxPayTime, isWxPayTime, parseWxPayTime } from './wxpay-time';

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

describe('isWxPayTime', () => {
  it('knows leap years and the calendar', () => {
    expect(isWxPayTime('20240229235959')).toBe(true);
    expect(isWxPayTime('20230229000000')).toBe(false);
    expect(isWxPayTime('19000229000000')).toBe(false);
    expect(isWxPayTime('20000229000000')).toBe(true);
    expect(isWxPayTime('20240431000000')).toBe(false);
    expect(isWxPayTime('20241231235960')).toBe(false);
    expect(isWxPayTime('20240001000000')).toBe(false);
    expect(isWxPayTime(20240101000000)).toBe(false);
  });

  it('agrees with Date on every day of four years', () => {
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const s = formatWxPayTime(new Date(t), 0);
      expect(isWxPayTime(s)).toBe(true);
      expect(parseWxPayTime(s, 0).getTime()).toBe(t);
    }
  });
});
