import { describe, expect, it } from 'vitest';
import { serviceFee } from './service-fee';
import { feeText, summaryText, yuanText } from './yuan-text';

describe('bill money text from integer fen', () => {
  it('writes yuan with two decimals and the fee column with five', () => {
    expect(yuanText(0)).toBe('0.00');
    expect(yuanText(1)).toBe('0.01');
    expect(yuanText(29)).toBe('0.29');
    expect(yuanText(123450)).toBe('1234.50');
    expect(yuanText(-6)).toBe('-0.06');
    expect(yuanText(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
    expect(feeText(1)).toBe('0.01000');
    expect(feeText(-12)).toBe('-0.12000');
    expect(() => yuanText(0.5)).toThrow(RangeError);
  });

  it('writes summary values as Java Double.toString does', () => {
    expect(summaryText(45, 0)).toBe('45.0');
    expect(summaryText(47, 2)).toBe('0.47');
    expect(summaryText(0, 2)).toBe('0.0');
    expect(summaryText(350, 2)).toBe('3.5');
    expect(summaryText(999_999_999, 2)).toBe('9999999.99');
    expect(summaryText(1_234_567_800, 2)).toBe('1.2345678E7');
    expect(summaryText(1_000_000_000, 2)).toBe('1.0E7');
    expect(summaryText(12_345_678, 0)).toBe('1.2345678E7');
    expect(summaryText(-5, 2)).toBe('-0.05');
  });

  it('computes the 0.6 % fee rounded half up to the fen', () => {
    expect(serviceFee(1)).toBe(0);
    expect(serviceFee(83)).toBe(0);
    expect(serviceFee(84)).toBe(1);
    expect(serviceFee(250)).toBe(2);
    expect(serviceFee(1999)).toBe(12);
    expect(serviceFee(-250)).toBe(-2);
  });
});
