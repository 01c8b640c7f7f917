import { isIP } from 'node:net';
import { WxPayValidationError } from './errors';
import { isWxPayTime } from './wxpay-time';

/*
 * Field rules shared by the v2 message builders and response mappers. Request-side failures name
 * the wire field so that a caller sees e.g. `out_trade_no "…" …` rather than a generic error.
 */

/** A required string field: present, non-empty, at most `maxLength` UTF-16 code units (XML-illegal characters are refused by buildXml). */
export function requireText(value: unknown, field: string, maxLength: number): string {
  if (value === undefined || value === null || value === '') {
    throw new WxPayValidationError('FIELD_MISSING', field, `${field} is missing`);
  }
  if (typeof value !== 'string') {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} must be a string, got ${typeof value}`);
  }
  if (value.length > maxLength) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} is ${value.length} characters long; at most ${maxLength} allowed`);
  }
  return value;
}

/** Like `requireText`, with the limit counted in UTF-8 bytes (a Chinese character is 3, an emoji 4). */
export function requireUtf8Text(value: unknown, field: string, maxBytes: number): string {
  const text = requireText(value, field, maxBytes);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} is ${bytes} bytes of UTF-8; at most ${maxBytes} allowed`);
  }
  return text;
}

/** Like `requireText` but `undefined` (not given) yields `undefined`. An empty string is refused. */
export function optionalText(value: unknown, field: string, maxLength: number): string | undefined {
  return value === undefined ? undefined : requireText(value, field, maxLength);
}

/** A required field matching `pattern` (used for ids with a fixed alphabet). */
export function requirePattern(value: unknown, field: string, pattern: RegExp, what: string): string {
  const text = requireText(value, field, Number.MAX_SAFE_INTEGER);
  if (!pattern.test(text)) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} is not ${what}`);
  }
  return text;
}

/** A `yyyyMMddHHmmss` time that is a real date. */
export function requireWxPayTime(value: unknown, field: string): string {
  const text = requirePattern(value, field, /^[0-9]{14}$/, 'yyyyMMddHHmmss');
  if (!isWxPayTime(text)) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} is not a real date and time`);
  }
  return text;
}

const INT_RE = /^(0|[1-9][0-9]{0,15})$/;

/** A non-negative integer written in decimal without sign, exponent or leading zeros (fen, counts). */
export function parseIntField(value: unknown, field: string, raw?: unknown): number {
  if (value === undefined || value === '') {
    throw new WxPayValidationError('FIELD_MISSING', field, `${field} is missing`, raw);
  }
  if (typeof value !== 'string' || !INT_RE.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(value)} is not a non-negative integer`, raw);
  }
  return Number(value);
}

export function parseOptionalIntField(value: unknown, field: string, raw?: unknown): number | undefined {
  return value === undefined || value === '' ? undefined : parseIntField(value, field, raw);
}

/** A received field that must be present and non-empty. */
export function requireReceived(fields: Readonly<Record<string, string>>, field: string): string {
  const value = fields[field];
  if (value === undefined || value === '') {
    throw new WxPayValidationError('FIELD_MISSING', field, `${field} is missing from the response`, fields);
  }
  return value;
}

/** 商户订单号: 1–32 characters of `[0-9A-Za-z_\-|*]`, unique per merchant. */
export const OUT_TRADE_NO_RE = /^[0-9A-Za-z_\-|*]{1,32}$/;

export function requireOutTradeNo(value: unknown): string {
  return requirePattern(value, 'out_trade_no', OUT_TRADE_NO_RE, '1-32 characters of [0-9A-Za-z_-|*]');
}

/** An IPv4 or IPv6 address (spbill_create_ip, user_ip): WeChat's field table allows nothing else. */
export function requireIpAddress(value: unknown, field: string): string {
  const text = requireText(value, field, 64);
  if (isIP(text) === 0) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} is not an IPv4 or IPv6 address`);
  }
  return text;
}

/** `nonce_str`/`nonceStr`: 1–32 characters of [0-9A-Za-z] (what WeChat and every SDK generate). */
export function requireNonceStr(value: unknown, field = 'nonce_str'): string {
  return requirePattern(value, field, /^[0-9A-Za-z]{1,32}$/, '1-32 letters and digits');
}
