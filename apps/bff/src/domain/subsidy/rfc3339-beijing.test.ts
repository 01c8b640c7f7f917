import { describe, expect, it } from 'vitest';
import { formatRfc3339Beijing } from './rfc3339-beijing';

describe('formatRfc3339Beijing', () => {
  it('writes China Standard Time with an explicit offset and whole seconds', () => {
    // The example in the gov subsidy sync doc.
    expect(formatRfc3339Beijing(new Date('2025-01-14T11:55:06.789Z'))).toBe('2025-01-14T19:55:06+08:00');
    expect(formatRfc3339Beijing(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01T00:00:00+08:00');
  });
});
