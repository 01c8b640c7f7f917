import { UNIFIED_ORDER_BODY_MAX_BYTES } from '@checkout/protocol/wxpay';

export interface BodyLine {
  name: string;
  quantity: number;
}

/**
 * unifiedorder `body` (the buyer sees it in the payment sheet and their bill): "shop-first item等N件"
 * counting units, not lines (two kettles and a filter are 3 件), or "shop-item×N" for one line of
 * several units; cut at a character boundary to WeChat's 127 UTF-8 bytes.
 */
export function orderBody(prefix: string, lines: readonly BodyLine[]): string {
  const first = lines[0]?.name ?? '';
  const units = lines.reduce((sum, line) => sum + line.quantity, 0);
  const suffix = lines.length > 1 ? `等${units}件` : units > 1 ? `×${units}` : '';
  let budget = UNIFIED_ORDER_BODY_MAX_BYTES - Buffer.byteLength(suffix, 'utf8');
  let text = '';
  for (const char of `${prefix}-${first}`) {
    budget -= Buffer.byteLength(char, 'utf8');
    if (budget < 0) break;
    text += char;
  }
  return text + suffix;
}
