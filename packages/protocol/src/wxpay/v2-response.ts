import { WxPayResultError, WxPayReturnError, WxPayValidationError } from './errors';
import type { V2Merchant } from './merchant';
import { verifyV2 } from './v2-sign';
import { parseXml } from './xml-codec';

/**
 * The checks every signed v2 response goes through, in WeChat's order: parse; `return_code=FAIL`
 * → `WxPayReturnError` (such bodies are not signed); verify the signature over every field;
 * `appid`/`mch_id` must be ours; `result_code=FAIL` → `WxPayResultError`. Returns the verified map.
 */
export function checkV2Response(xml: string, merchant: Pick<V2Merchant, 'appId' | 'mchId' | 'apiKey'>): Record<string, string> {
  const fields = parseXml(xml);
  const returnCode = fields.return_code;
  if (returnCode === 'FAIL') throw new WxPayReturnError(fields.return_msg ?? '', fields);
  if (returnCode !== 'SUCCESS') {
    throw new WxPayValidationError(
      returnCode === undefined ? 'FIELD_MISSING' : 'FIELD_INVALID',
      'return_code',
      `return_code ${JSON.stringify(returnCode)} is not SUCCESS or FAIL`,
      fields,
    );
  }
  verifyV2(fields, merchant.apiKey);
  checkMerchant(fields, merchant);
  const resultCode = fields.result_code;
  if (resultCode === 'FAIL') throw new WxPayResultError(fields.err_code ?? '', fields.err_code_des ?? '', fields);
  if (resultCode !== 'SUCCESS') {
    throw new WxPayValidationError(
      resultCode === undefined ? 'FIELD_MISSING' : 'FIELD_INVALID',
      'result_code',
      `result_code ${JSON.stringify(resultCode)} is not SUCCESS or FAIL`,
      fields,
    );
  }
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
