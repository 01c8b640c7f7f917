import { describe, expect, it } from 'vitest';
import { fenSchema, formatFen } from './money';

describe('fenSchema', () => {
  it.each([0, 1, 9900, 100_000_000_00])('accepts %i fen', (value) => {
    expect(fenSchema.safeParse(value).success).toBe(true);
  });

  it.each([
    ['a fraction of a fen', 12.5],
    ['a negative amount', -1],
    ['an amount above the cap', 100_000_000_01],
    ['a numeric string', '100'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
  ])('refuses %s', (_name, value) => {
    expect(fenSchema.safeParse(value).success).toBe(false);
  });
});

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [10, '¥0.10'],
    [1234, '¥12.34'],
    [9900, '¥99.00'],
    [-5, '-¥0.05'],
    [100_000_000_00, '¥100000000.00'],
    // 0.1 + 0.2 style float errors cannot appear: integer arithmetic only.
    [1_000_000_000_07, '¥1000000000.07'],
  ])('formats %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });
});
