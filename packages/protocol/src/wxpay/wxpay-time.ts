import { WxPayValidationError } from './errors';

/** WeChat Pay v2 times are `yyyyMMddHHmmss` in Beijing time (UTC+8) unless stated otherwise. */
const BEIJING_OFFSET_MINUTES = 480;
const WXPAY_TIME_RE = /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$/;

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

/** Parses `yyyyMMddHHmmss` (default Beijing time); refuses impossible dates such as 20240230. */
export function parseWxPayTime(s: string, utcOffsetMinutes = BEIJING_OFFSET_MINUTES): Date {
  const m = typeof s === 'string' ? WXPAY_TIME_RE.exec(s) : null;
  if (m === null) {
    throw new WxPayValidationError('FIELD_INVALID', 'time', `time ${JSON.stringify(s)} is not yyyyMMddHHmmss`);
  }
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(local - utcOffsetMinutes * 60_000);
  if (formatWxPayTime(date, utcOffsetMinutes) !== s) {
    throw new WxPayValidationError('FIELD_INVALID', 'time', `time ${JSON.stringify(s)} is not a real date and time`);
  }
  return date;
}
