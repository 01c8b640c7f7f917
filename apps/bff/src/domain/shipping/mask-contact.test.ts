import { describe, expect, it } from 'vitest';
import { maskContact } from './mask-contact';

describe('maskContact', () => {
  it('keeps the first 3 and last 4 digits of a mobile number, with or without +86, and never the middle', () => {
    expect(maskContact('13812345678')).toBe('138****5678');
    expect(maskContact('+86 138-1234-5678')).toBe('138****5678');
    expect(maskContact('189****1234')).toBe('189****1234');
    expect(maskContact('8888-6666')).toBe('****6666');
    expect(maskContact('13812345678')).not.toContain('1234');
  });
});
