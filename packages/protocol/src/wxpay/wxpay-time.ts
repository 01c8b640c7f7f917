import { WxPayValidationError } from './errors';

/** WeChat Pay v2 times are `yyyyMMddHHmmss` in Beijing time (UTC+8) unless stated otherwise. */
const BEIJING_OFFSET_MINUTES = 480;
const WXPAY_TIME_RE = /^[0-9]{14}$/;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Formats `date` as `yyyyMMddHHmmss` in the zone `utcOffsetMinutes` east of UTC (default Beijing). */
export function formatWxPayTime(date: Date, utcOffsetMinutes = BEIJING_OFFSET_MINUTES): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new WxPayValidationError('FIELD_INVALID', 'time', 'cannot format an invalid Date');
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new WxPayValidationError('FIELD_INVALID', 'time', `year ${year} cannot be written as yyyy`);
  return (
    String(year) +
    pad2(d.getUTCMonth() + 1) +
    pad2(d.getUTCDate()) +
    pad2(d.getUTCHours()) +
    pad2(d.getUTCMinutes()) +
    pad2(d.getUTCSeconds())
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
};

/** Is `s` a `yyyyMMddHHmmss` that names a real calendar time (no 20240230, no hour 24)? */
export function isWxPayTime(s: unknown): s is string {
  if (typeof s !== 'string' || !WXPAY_TIME_RE.test(s)) return false;
  const year = digits(s, 0, 4);
  const month = digits(s, 4, 6);
  const day = digits(s, 6, 8);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= maxDay && digits(s, 8, 10) < 24 && digits(s, 10, 12) < 60 && digits(s, 12, 14) < 60;
}

/** Parses `yyyyMMddHHmmss` (default Beijing time); refuses impossible dates such as 20240230. */
export function parseWxPayTime(s: string, utcOffsetMinutes = BEIJING_OFFSET_MINUTES): Date {
  if (typeof s !== 'string' || !WXPAY_TIME_RE.test(s)) {
    throw new WxPayValidationError('FIELD_INVALID', 'time', `time ${JSON.stringify(s)} is not yyyyMMddHHmmss`);
  }
  if (!isWxPayTime(s)) {
    throw new WxPayValidationError('FIELD_INVALID', 'time', `time ${JSON.stringify(s)} is not a real date and time`);
  }
  const local = Date.UTC(digits(s, 0, 4), digits(s, 4, 6) - 1, digits(s, 6, 8), digits(s, 8, 10), digits(s, 10, 12), digits(s, 12, 14));
  return new Date(local - utcOffsetMinutes * 60_000);
}
