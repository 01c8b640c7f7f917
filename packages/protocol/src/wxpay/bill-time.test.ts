import { describe, expect, it } from 'vitest';
import { codeOf } from '../testing/caught-error';
import { addBillDays, billDateOf, billDayRange, billReadyAt, formatBillTime, isBillDate, parseBillTime, requireBillDate } from './bill-time';

describe('bill times (Beijing)', () => {
  it('parses yyyy-MM-dd HH:mm:ss as a Beijing instant and formats it back', () => {
    expect(parseBillTime('2019-02-19 05:01:46').toISOString()).toBe('2019-02-18T21:01:46.000Z');
    expect(formatBillTime(new Date('2019-02-18T21:01:46.999Z'))).toBe('2019-02-19 05:01:46');
    for (const bad of ['2019-02-29 00:00:00', '2019-02-19 24:00:00', '2019-02-19T05:01:46', '2019-2-19 05:01:46', '20190219050146', '']) {
      expect(codeOf(() => parseBillTime(bad)), bad).toBe('FIELD_INVALID');
    }
  });

  it('bill dates are Beijing days', () => {
    // 16:00 UTC is already the next day in Beijing.
    expect(billDateOf(new Date('2025-11-25T15:59:59Z'))).toBe('20251125');
    expect(billDateOf(new Date('2025-11-25T16:00:00Z'))).toBe('20251126');
    expect(billDayRange('20251125')).toEqual({ start: new Date('2025-11-24T16:00:00Z'), end: new Date('2025-11-25T16:00:00Z') });
    expect(billReadyAt('20251125').toISOString()).toBe('2025-11-26T02:00:00.000Z'); // 10:00 Beijing the next day
    expect(addBillDays('20250301', -1)).toBe('20250228');
    expect(addBillDays('20241231', 1)).toBe('20250101');
    expect(isBillDate('20240229')).toBe(true);
    expect(isBillDate('20250229')).toBe(false);
    expect(codeOf(() => requireBillDate('2025-11-25'))).toBe('FIELD_INVALID');
    expect(codeOf(() => requireBillDate(20251125))).toBe('FIELD_INVALID');
  });
});
