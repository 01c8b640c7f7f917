import { describe, expect, it } from 'vitest';
import { beijingDate, billDayStartMs, billDayVerdict, oldestBillDate } from './bill-day';

const at = (iso: string): number => Date.parse(iso);

describe('bill days (Beijing)', () => {
  it('finds the Beijing day of an instant and refuses unreal dates', () => {
    expect(beijingDate(new Date('2025-03-09T16:00:00Z'))).toBe('20250310');
    expect(beijingDate(new Date('2025-03-09T15:59:59Z'))).toBe('20250309');
    expect(billDayStartMs('20250310')).toBe(at('2025-03-09T16:00:00Z'));
    for (const bad of ['20250230', '20251301', '2025031', '2025-3-1', '']) expect(billDayStartMs(bad), bad).toBeUndefined();
    expect(billDayStartMs('20240229')).toBeDefined();
  });

  it('keeps three months of bills, clamping to the end of a shorter month', () => {
    expect(oldestBillDate('20250610')).toBe('20250310');
    expect(oldestBillDate('20250531')).toBe('20250228');
    expect(oldestBillDate('20250215')).toBe('20241115');
  });

  it('serves day D from the ready hour of D+1, refuses the future and the too old', () => {
    // 2025-03-11 09:59:59 Beijing.
    const before = at('2025-03-11T01:59:59Z');
    expect(billDayVerdict('20250310', before, 10)).toEqual({ ok: false, reason: 'creating' });
    expect(billDayVerdict('20250310', before + 1000, 10)).toMatchObject({ ok: true, readyAtMs: before + 1000 });
    expect(billDayVerdict('20250310', before, 9)).toMatchObject({ ok: true });
    expect(billDayVerdict('20250311', before, 10)).toEqual({ ok: false, reason: 'creating' });
    expect(billDayVerdict('20250312', before, 10)).toEqual({ ok: false, reason: 'invalid' });
    expect(billDayVerdict('20241211', before, 10)).toMatchObject({ ok: true });
    expect(billDayVerdict('20241210', before, 10)).toEqual({ ok: false, reason: 'invalid' });
  });
});
