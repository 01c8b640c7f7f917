import { withSign, type SignType } from '../wxpay/v2-sign';
import { buildXml } from '../wxpay/xml-codec';

/**
 * A WeChat Pay v2 response body: `fields` signed with `apiKey` and rendered as XML. `sign_type`
 * is not added (WeChat's responses do not carry it); put it in `fields` to have it signed.
 */
export function buildSignedV2Response(fields: Readonly<Record<string, string>>, apiKey: string, signType: SignType): string {
  return buildXml(withSign(fields, apiKey, signType));
}
