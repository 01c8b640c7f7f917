import { WxPayResultError, WxPayReturnError, WxPayValidationError } from './errors';
import type { V2Merchant } from './merchant';
import { verifyV2 } from './v2-sign';
import { parseXml } from './xml-codec';

/** `return_code`/`result_code`: exactly SUCCESS or FAIL; anything else (or nothing) is refused. */
function successOrFail(fields: Readonly<Record<string, string>>, name: 'return_code' | 'result_code'): 'SUCCESS' | 'FAIL' {
  const value = fields[name];
  if (value === 'SUCCESS' || value === 'FAIL') return value;
  throw new WxPayValidationError(value === undefined ? 'FIELD_MISSING' : 'FIELD_INVALID', name, `${name} ${JSON.stringify(value)} is not SUCCESS or FAIL`, fields);
}

/**
 * The checks every signed v2 response goes through, in WeChat's order: parse; `return_code=FAIL`
 * → `WxPayReturnError` (such bodies are not signed); verify the signature over every field;
 * `appid`/`mch_id` must be ours; `result_code=FAIL` → `WxPayResultError`. Returns the verified map.
 */
export function checkV2Response(xml: string, merchant: Pick<V2Merchant, 'appId' | 'mchId' | 'apiKey'>): Record<string, string> {
  const fields = parseXml(xml);
  if (successOrFail(fields, 'return_code') === 'FAIL') throw new WxPayReturnError(fields.return_msg ?? '', fields);
  verifyV2(fields, merchant.apiKey);
  checkMerchant(fields, merchant);
  if (successOrFail(fields, 'result_code') === 'FAIL') throw new WxPayResultError(fields.err_code ?? '', fields.err_code_des ?? '', fields);
  return fields;
}

/** A signed answer about another app or merchant is not an answer to our request. */
export function checkMerchant(fields: Readonly<Record<string, string>>, merchant: Pick<V2Merchant, 'appId' | 'mchId'>): void {
  if (fields.appid !== merchant.appId) {
    throw new WxPayValidationError('MERCHANT_MISMATCH', 'appid', `appid ${JSON.stringify(fields.appid)} is not ours`, fields);
  }
  if (fields.mch_id !== merchant.mchId) {
    throw new WxPayValidationError('MERCHANT_MISMATCH', 'mch_id', `mch_id ${JSON.stringify(fields.mch_id)} is not ours`, fields);
  }
}
