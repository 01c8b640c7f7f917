/*
 * Money in a bill is yuan text made from integer fen with integer arithmetic only (a float
 * detour turns 0.29 into 0.28999…).
 */

const wholeAndCents = (fen: number): [string, string] => {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${fen} fen is not a safe integer`);
  const abs = Math.abs(fen);
  const cents = abs % 100;
  return [String((abs - cents) / 100), String(cents).padStart(2, '0')];
};

/** 1 → `0.01`, 123450 → `1234.50`, -6 → `-0.06`: the detail rows' amount columns. */
export function yuanText(fen: number): string {
  const [whole, cents] = wholeAndCents(fen);
  return `${fen < 0 ? '-' : ''}${whole}.${cents}`;
}

/** The 手续费 column: five decimals as in real bills (`0.01000`), negative when a refund returns fee. */
export function feeText(fen: number): string {
  return `${yuanText(fen)}000`;
}

/**
 * A summary value as real bills print it, Java's Double.toString of the yuan (or count) value:
 * `45.0`, `0.47`, `0.0`, and from ten million up `1.2345678E7`.
 */
export function summaryText(value: number, scale: 0 | 2): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  const sign = value < 0 ? '-' : '';
  let whole: string;
  let fraction: string;
  if (scale === 0) {
    whole = String(Math.abs(value));
    fraction = '';
  } else {
    [whole, fraction] = wholeAndCents(value);
    fraction = fraction.replace(/0+$/, '');
  }
  if (whole.length <= 7) return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
  const digits = `${whole}${fraction}`.replace(/0+$/, '');
  return `${sign}${digits.slice(0, 1)}.${digits.length > 1 ? digits.slice(1) : '0'}E${whole.length - 1}`;
}
