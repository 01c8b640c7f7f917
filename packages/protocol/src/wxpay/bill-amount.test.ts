import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../testing/caught-error';
import { feeYuanToFen, fenToYuan, parseSummaryNumber, yuanToFen } from './bill-amount';

describe('yuan ↔ fen', () => {
  it('converts exactly on the digits', () => {
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('1234.50')).toBe(123450);
    expect(yuanToFen('1234.5')).toBe(123450);
    expect(yuanToFen('7')).toBe(700);
    expect(yuanToFen('0.29')).toBe(29); // Number('0.29') * 100 is 28.999999999999996
    expect(yuanToFen('1.15')).toBe(115); // and 1.15 * 100 is 114.99999999999999
    expect(yuanToFen('9999999999999.99')).toBe(999999999999999);
  });

  it('refuses more than 2 decimals, signs, exponents, spaces, leading zeros, empty', () => {
    for (const bad of ['0.001', '1.234', '-1.00', '+1.00', '1e2', ' 1.00', '1.00 ', '01.00', '.5', '1.', '', '1,000.00', '10000000000000.00', 'NaN']) {
      expect(codeOf(() => yuanToFen(bad)), bad).toBe('FIELD_INVALID');
    }
  });

  it('round-trips every fen amount', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), (fen) => yuanToFen(fenToYuan(fen)) === fen));
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(123450)).toBe('1234.50');
    expect(fenToYuan(-5)).toBe('-0.05');
    expect(codeOf(() => fenToYuan(0.5))).toBe('FIELD_INVALID');
  });

  it('reads the 5-decimal, signed fee column only when it is whole fen', () => {
    expect(feeYuanToFen('0.01000')).toBe(1);
    expect(feeYuanToFen('-0.06000')).toBe(-6);
    expect(feeYuanToFen('12.3')).toBe(1230);
    expect(feeYuanToFen('-0.00000')).toBe(0);
    for (const bad of ['0.00600', '0.000001', '--1', '1e-2', '']) expect(codeOf(() => feeYuanToFen(bad)), bad).toBe('FIELD_INVALID');
  });

  it('reads Java Double.toString summary numbers', () => {
    expect(parseSummaryNumber('45.0', 0, 'count')).toBe(45);
    expect(parseSummaryNumber('45', 0, 'count')).toBe(45);
    expect(parseSummaryNumber('0.47', 2, 'total')).toBe(47);
    expect(parseSummaryNumber('0.0', 2, 'total')).toBe(0);
    expect(parseSummaryNumber('-0.66', 2, 'fee')).toBe(-66);
    expect(parseSummaryNumber('1.23456789E7', 2, 'total')).toBe(1234567890);
    expect(parseSummaryNumber('1.234567891E7', 2, 'total')).toBe(1234567891);
    expect(parseSummaryNumber('1.0E7', 0, 'count')).toBe(10_000_000);
    for (const [bad, scale] of [['45.5', 0], ['0.001', 2], ['1.2345678912E7', 2], ['-1.0', 0], ['1e7', 2], ['', 2], ['x', 2]] as const) {
      expect(codeOf(() => parseSummaryNumber(bad, scale, 'x')), bad).toBe('FIELD_INVALID');
    }
  });
});
