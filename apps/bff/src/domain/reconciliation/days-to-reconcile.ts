import { addBillDays, billDateOf, billDayRange } from '@checkout/protocol/wxpay';

/**
 * The Beijing days whose bill should be ready by `now` (WeChat Pay builds a day's bill the next
 * morning: ready from `readyHour` Beijing time), looking back `lookbackDays` so a BFF that was
 * down catches up. Oldest first.
 */
export function daysToReconcile(now: Date, readyHour: number, lookbackDays: number): string[] {
  const today = billDateOf(now);
  const days: string[] = [];
  for (let back = lookbackDays; back >= 1; back -= 1) {
    const day = addBillDays(today, -back);
    const readyAt = billDayRange(day).end.getTime() + readyHour * 3_600_000;
    if (now.getTime() >= readyAt) days.push(day);
  }
  return days;
}
