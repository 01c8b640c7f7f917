import { formatWxPayTime } from '@checkout/protocol/wxpay';

/*
 * A bill covers one Beijing calendar day (UTC+8, no daylight saving). Availability as documented:
 * WeChat builds day D's bill from 09:00 Beijing on D+1 and advises fetching after 10:00; only the
 * last three months can be downloaded.
 */

const HOUR_MS = 3_600_000;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;
const BILL_DATE_RE = /^([0-9]{4})([0-9]{2})([0-9]{2})$/;
/** 对账单接口只能下载三个月以内的账单. */
export const BILL_HISTORY_MONTHS = 3;
/** 建议商户10点后再获取. */
export const DEFAULT_BILL_READY_HOUR_BEIJING = 10;

/** The Beijing day of an instant, `yyyyMMdd`. */
export function beijingDate(instant: Date): string {
  return formatWxPayTime(instant).slice(0, 8);
}

/** 00:00 Beijing of a real `yyyyMMdd` day, or undefined when it is not one. */
export function billDayStartMs(billDate: string): number | undefined {
  const match = BILL_DATE_RE.exec(billDate);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, day);
  const back = new Date(utc);
  // Date.UTC rolls 20250230 over into March: such a date is not real.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return utc - BEIJING_OFFSET_MS;
}

/** The first downloadable day: the same day of the month three months back, clamped to that month's end. */
export function oldestBillDate(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(4, 6)) - 1 - BILL_HISTORY_MONTHS;
  const day = Number(today.slice(6, 8));
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const oldest = new Date(Date.UTC(year, month, Math.min(day, lastDay)));
  return `${oldest.getUTCFullYear()}${String(oldest.getUTCMonth() + 1).padStart(2, '0')}${String(oldest.getUTCDate()).padStart(2, '0')}`;
}

/** When day `billDate`'s bill becomes available: `readyHour` o'clock Beijing the next day. */
export function billReadyAtMs(dayStartMs: number, readyHour: number): number {
  return dayStartMs + DAY_MS + readyHour * HOUR_MS;
}

export type BillDayVerdict =
  | { ok: true; dayStartMs: number; readyAtMs: number }
  /** invalid: not a real date, after today or too old; creating: not built yet. */
  | { ok: false; reason: 'invalid' | 'creating' };

/** Whether day `billDate`'s bill can be served at `nowMs`. */
export function billDayVerdict(billDate: string, nowMs: number, readyHour: number): BillDayVerdict {
  const dayStartMs = billDayStartMs(billDate);
  if (dayStartMs === undefined) return { ok: false, reason: 'invalid' };
  const today = beijingDate(new Date(nowMs));
  if (billDate > today || billDate < oldestBillDate(today)) return { ok: false, reason: 'invalid' };
  const readyAtMs = billReadyAtMs(dayStartMs, readyHour);
  if (nowMs < readyAtMs) return { ok: false, reason: 'creating' };
  return { ok: true, dayStartMs, readyAtMs };
}
