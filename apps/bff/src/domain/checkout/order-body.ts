import { UNIFIED_ORDER_BODY_MAX_BYTES } from '@checkout/protocol/wxpay';

/** unifiedorder `body`: "shop-first item等N件", cut at a character boundary to WeChat's 127 UTF-8 bytes. */
export function orderBody(prefix: string, names: string[]): string {
  const first = names[0] ?? '';
  const suffix = names.length > 1 ? `等${names.length}件` : '';
  let budget = UNIFIED_ORDER_BODY_MAX_BYTES - Buffer.byteLength(suffix, 'utf8');
  let text = '';
  for (const char of `${prefix}-${first}`) {
    budget -= Buffer.byteLength(char, 'utf8');
    if (budget < 0) break;
    text += char;
  }
  return text + suffix;
}
