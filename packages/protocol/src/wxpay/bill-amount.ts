import { WxPayValidationError } from './errors';

/*
 * Bills write money in yuan as decimal text. Conversion to integer fen is done on the digits
 * (never through a float: Number('0.29') * 100 is 28.999999999999996). The integer part is capped
 * at 13 digits so that every fen value stays a safe integer.
 */

const YUAN_RE = /^(0|[1-9][0-9]{0,12})(?:\.([0-9]{1,2}))?$/;

const fenOf = (integer: string, fraction: string): number => Number(integer) * 100 + Number(fraction.padEnd(2, '0'));

/** `"0.01"` → 1, `"1234.50"` → 123450, `"7"` → 700. Refuses signs, exponents, more than 2 decimals. */
export function yuanToFen(text: string, field = 'amount'): number {
  const match = typeof text === 'string' ? YUAN_RE.exec(text) : null;
  if (match === null) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} is not a yuan amount with at most 2 decimals`);
  }
  return fenOf(match[1] ?? '0', match[2] ?? '');
}

/** 1 → `"0.01"`, 123450 → `"1234.50"`, -5 → `"-0.05"` (always 2 decimals). */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new WxPayValidationError('FIELD_INVALID', 'amount', `${fen} fen is not a safe integer`);
  const abs = Math.abs(fen);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return fen < 0 ? `-${text}` : text;
}

// The 手续费 (service fee) column is written with 5 decimals (`0.01000`) and is negative on a
// refund row that returns a fee. Digits past the fen must be zero: a sub-fen fee cannot be kept
// in integer fen and would make the summary total disagree, so it is refused, not rounded.
const FEE_RE = /^(-?)(0|[1-9][0-9]{0,12})(?:\.([0-9]{1,2})([0-9]{0,3}))?$/;

/** `"0.01000"` → 1, `"-0.06000"` → -6; `"0.00600"` (0.6 fen) is refused. */
export function feeYuanToFen(text: string, field = 'fee'): number {
  const match = FEE_RE.exec(text);
  if (match === null || /[1-9]/.test(match[4] ?? '')) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} is not a whole-fen yuan amount`);
  }
  const fen = fenOf(match[2] ?? '0', match[3] ?? '');
  return match[1] === '-' && fen !== 0 ? -fen : fen;
}

// The summary line looks like Java's Double.toString (`45.0`, `0.47`, `0.0`), which switches to
// `1.2345678E7` from ten million up. Both shapes are read exactly on the digits.
const SUMMARY_RE = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:E([0-9]{1,2}))?$/;

/**
 * A summary value as an integer in units of `10^-scale` (scale 2 = fen for amounts, 0 for the
 * count). Refuses a value that needs more precision than that, or that is not a safe integer.
 */
export function parseSummaryNumber(text: string, scale: 0 | 2, field: string): number {
  const match = SUMMARY_RE.exec(text);
  if (match !== null) {
    const exponent = Number(match[4] ?? '0');
    let digits = (match[2] ?? '') + (match[3] ?? '');
    // Position of the decimal point inside `digits`, after applying the exponent and the scale.
    const point = (match[2] ?? '').length + exponent + scale;
    if (point >= digits.length) digits = digits.padEnd(point, '0');
    const whole = digits.slice(0, point);
    const rest = digits.slice(point);
    const value = Number(whole === '' ? '0' : whole);
    if (!/[1-9]/.test(rest) && whole.length <= 16 && Number.isSafeInteger(value) && (match[1] !== '-' || scale !== 0)) {
      return match[1] === '-' && value !== 0 ? -value : value;
    }
  }
  throw new WxPayValidationError('FIELD_INVALID', field, `summary ${field} ${JSON.stringify(text)} is not a number with ${scale === 0 ? 'no' : 'at most 2'} decimals`);
}
