import { WxPayValidationError } from './errors';
import { formatWxPayTime, isWxPayTime, parseWxPayTime } from './wxpay-time';

/*
 * Bill times: `yyyy-MM-dd HH:mm:ss` inside the file, `yyyyMMdd` for the bill date, both in
 * Beijing time (UTC+8, no daylight saving). A bill covers the Beijing day 00:00:00–24:00:00.
 */

const BILL_TIME_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})$/;
const BILL_DATE_RE = /^[0-9]{8}$/;
const DAY_MS = 86_400_000;

/** `"2019-02-19 05:01:46"` (Beijing) → the instant 2019-02-18T21:01:46Z. Refuses impossible dates. */
export function parseBillTime(text: string, field = 'time'): Date {
  const match = BILL_TIME_RE.exec(text);
  const compact = match === null ? '' : match.slice(1).join('');
  if (!isWxPayTime(compact)) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} is not a real yyyy-MM-dd HH:mm:ss time`);
  }
  return parseWxPayTime(compact);
}

/** The instant → `yyyy-MM-dd HH:mm:ss` in Beijing time (whole seconds; milliseconds are dropped). */
export function formatBillTime(date: Date): string {
  const s = formatWxPayTime(date);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)} ${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}`;
}

/** Is `text` a `yyyyMMdd` naming a real calendar day? */
export function isBillDate(text: unknown): text is string {
  return typeof text === 'string' && BILL_DATE_RE.test(text) && isWxPayTime(`${text}000000`);
}

/** Refuses anything that is not a real `yyyyMMdd` day. */
export function requireBillDate(text: unknown, field = 'bill_date'): string {
  if (!isBillDate(text)) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} is not a real yyyyMMdd date`);
  }
  return text;
}

/** The Beijing calendar day that contains `instant`, as `yyyyMMdd`. */
export function billDateOf(instant: Date): string {
  return formatWxPayTime(instant).slice(0, 8);
}

/** The Beijing day `billDate` as instants: `[start, end)`, end = next day's 00:00 Beijing. */
export function billDayRange(billDate: string): { start: Date; end: Date } {
  const start = parseWxPayTime(`${requireBillDate(billDate)}000000`);
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

/** The bill date `days` days after `billDate` (negative goes back). */
export function addBillDays(billDate: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new WxPayValidationError('FIELD_INVALID', 'days', `${days} is not a whole number of days`);
  return billDateOf(new Date(billDayRange(billDate).start.getTime() + days * DAY_MS));
}

/**
 * When WeChat says to fetch the bill: it starts building a day's bill at 09:00 Beijing the next
 * day and advises fetching after 10:00. Before that the answer is `Bill Creating`.
 */
export function billReadyAt(billDate: string): Date {
  return new Date(billDayRange(billDate).end.getTime() + 10 * 3_600_000);
}
