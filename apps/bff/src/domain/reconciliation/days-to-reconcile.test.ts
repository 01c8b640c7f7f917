import { describe, expect, it } from 'vitest';
import { daysToReconcile } from './days-to-reconcile';

describe('daysToReconcile', () => {
  it('yesterday (Beijing) only once its bill is ready at the ready hour, plus the lookback', () => {
    // 2026-12-03 09:59 Beijing = 01:59 UTC: the bill of 12-02 is not ready yet.
    expect(daysToReconcile(new Date('2026-12-03T01:59:00Z'), 10, 3)).toEqual(['20261130', '20261201']);
    expect(daysToReconcile(new Date('2026-12-03T02:00:00Z'), 10, 3)).toEqual(['20261130', '20261201', '20261202']);
    // Just after midnight UTC it is already 08:00 the next day in Beijing.
    expect(daysToReconcile(new Date('2026-12-02T23:30:00Z'), 10, 1)).toEqual([]);
  });
});
