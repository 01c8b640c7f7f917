/*
 * The emulator's merchant rate: 0.6 %, the common rate for mini-program payments. WeChat rounds
 * the fee to the fen (四舍五入); a refund returns the fee of the refunded amount, so refund rows
 * carry it negative.
 */

export const BILL_RATE_TEXT = '0.60%';
const RATE_PER_MILLE = 6;

/** Fee in fen of `fen`, rounded half up, with integer arithmetic. */
export function serviceFee(fen: number): number {
  const sign = fen < 0 ? -1 : 1;
  const abs = Math.abs(fen) * RATE_PER_MILLE + 500;
  return sign * ((abs - (abs % 1000)) / 1000);
}
