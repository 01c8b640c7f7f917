import { describe, expect, it } from 'vitest';
import { CompactKeySet } from './compact-key-set';

describe('CompactKeySet', () => {
  it('holds exactly the keys added, through many rehashes and buffer growths', () => {
    const set = new CompactKeySet();
    const key = (i: number) => `4200000${String(i * 7919).padStart(21, '0')}`;
    for (let i = 0; i < 50_000; i += 1) expect(set.add(key(i))).toBe(true);
    expect(set.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 1) expect(set.has(key(i))).toBe(true);
    // Absent keys: neighbours, prefixes and extensions of present ones.
    expect(set.has(key(50_000))).toBe(false);
    expect(set.has(key(1).slice(0, -1))).toBe(false);
    expect(set.has(`${key(1)}0`)).toBe(false);
    expect(set.add(key(123))).toBe(false);
    expect(set.size).toBe(50_000);
  });

  it('tells apart keys that differ only in length or in non-ASCII characters', () => {
    const set = new CompactKeySet();
    expect(set.add('')).toBe(true);
    expect(set.add('a')).toBe(true);
    expect(set.add('aa')).toBe(true);
    expect(set.add('退款-1')).toBe(true);
    expect(set.has('退款-2')).toBe(false);
    expect(set.has('退款-1')).toBe(true);
    expect(set.has('')).toBe(true);
    expect(set.add('a')).toBe(false);
  });

  it('refuses keys longer than 255 bytes instead of truncating them', () => {
    const set = new CompactKeySet();
    expect(() => set.add('x'.repeat(256))).toThrow(RangeError);
    expect(() => set.add('退'.repeat(86))).toThrow(RangeError);
    expect(set.add('退'.repeat(85))).toBe(true);
  });
});
