import { z } from 'zod';

// The contract uses only zod's functional API (.check(z.int(), z.lte(…)), z.optional(x) …), which
// `zod` and `zod/mini` share: the BFF runs it on zod (classic), the mini-program bundles it with `zod`
// resolved to `zod/mini` (tree-shakable, ~100 KiB less). zod-mini.test.ts runs every case on both.

/** Amounts are integer fen (0.01 CNY) everywhere, as on the WeChat Pay wire. */
export const fenSchema = z.number().check(z.int(), z.gte(0), z.lte(100_000_000_00));
export type Fen = z.infer<typeof fenSchema>;

/** "¥12.34" from 1234 fen, without floating-point arithmetic. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan}.${cents}`;
}
