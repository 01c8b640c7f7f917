import type { V2Merchant } from './merchant';
import { requireNonceStr, requireText } from './field-rules';
import { signV2 } from './v2-sign';
import { buildXml } from './xml-codec';

/** A signed v2 request: `fields` is the exact signed wire map, `xml` its body. */
export interface V2Request {
  fields: Record<string, string>;
  xml: string;
}

/**
 * Adds the merchant identity, `nonce_str` and (for HMAC-SHA256) `sign_type` to `fields`, signs
 * and serialises them. `undefined` values are left out (optional fields not given).
 */
export function buildV2Request(
  fields: Readonly<Record<string, string | undefined>>,
  merchant: V2Merchant,
  nonceStr: string,
): V2Request {
  const wire: Record<string, string> = {
    appid: requireText(merchant.appId, 'appid', 32),
    mch_id: requireText(merchant.mchId, 'mch_id', 32),
    nonce_str: requireNonceStr(nonceStr),
  };
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (value !== undefined) wire[name] = value;
  }
  // MD5 is the default and needs no sign_type; HMAC-SHA256 must say so, and it is signed too.
  if (merchant.signType === 'HMAC-SHA256') wire.sign_type = 'HMAC-SHA256';
  wire.sign = signV2(wire, merchant.apiKey, merchant.signType);
  return { fields: wire, xml: buildXml(wire) };
}
