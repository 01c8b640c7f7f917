import { WxPayValidationError } from './errors';
import { requireText } from './field-rules';

/**
 * `notify_url` (String(256)): an absolute http(s) URL without query string or fragment. WeChat drops
 * query strings from notify URLs, so state must not travel there. Same rule as unifiedorder's.
 */
export function requireNotifyUrl(value: unknown, field = 'notify_url'): string {
  const text = requireText(value, field, 256);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} must be http(s)`);
  }
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(text)} must not carry a query string`);
  }
  return text;
}
