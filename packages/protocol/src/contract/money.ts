import { z } from 'zod';

/** Amounts are integer fen (0.01 CNY) everywhere, as on the WeChat Pay wire. */
export const fenSchema = z.number().int().nonnegative().max(100_000_000_00);
export type Fen = z.infer<typeof fenSchema>;

/** "¥12.34" from 1234 fen, without floating-point arithmetic. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan}.${cents}`;
}
