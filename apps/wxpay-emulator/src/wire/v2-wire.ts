import { buildXml, withSign, type SignType } from '@checkout/protocol/wxpay';
import { corruptSignatureText } from '../faults/faults';
import { newNonceStr } from '../state/ids';
import type { RegisteredMerchant } from '../state/merchant-registry';

/** Request-level refusals: `return_code=FAIL` with WeChat's documented message. */
export type V2ReturnFailCode =
  | 'XML_FORMAT_ERROR'
  | 'POST_DATA_EMPTY'
  | 'REQUIRE_POST_METHOD'
  | 'NOT_UTF8'
  | 'SIGNERROR'
  | 'LACK_PARAMS'
  | 'APPID_NOT_EXIST'
  | 'MCHID_NOT_EXIST'
  | 'APPID_MCHID_NOT_MATCH'
  | 'PARAM_ERROR'
  | 'CERT_INVALID';

/**
 * `return_msg` per code: the 描述 column of the official error tables (PARAM_ERROR is the
 * documented "参数格式校验错误" example). A field name is appended after ": " where it helps.
 */
export const V2_RETURN_MESSAGES: Readonly<Record<V2ReturnFailCode, string>> = {
  XML_FORMAT_ERROR: 'XML格式错误',
  POST_DATA_EMPTY: 'post数据为空',
  REQUIRE_POST_METHOD: '请使用post方法',
  NOT_UTF8: '编码格式错误',
  SIGNERROR: '签名错误',
  LACK_PARAMS: '缺少参数',
  APPID_NOT_EXIST: 'APPID不存在',
  MCHID_NOT_EXIST: 'MCHID不存在',
  APPID_MCHID_NOT_MATCH: 'appid和mch_id不匹配',
  PARAM_ERROR: '参数格式校验错误',
  // No documented text for a client certificate of another merchant; the emulator's wording.
  CERT_INVALID: '证书验证失败',
};

/** Business refusals: `return_code=SUCCESS`, `result_code=FAIL`, signed. */
export type V2ErrCode =
  | 'OUT_TRADE_NO_USED'
  | 'INVALID_REQUEST'
  | 'ORDERPAID'
  | 'ORDERCLOSED'
  | 'ORDERNOTEXIST'
  | 'SYSTEMERROR'
  | 'INVALID_TRANSACTIONID'
  | 'TRADE_OVERDUE'
  | 'PARAM_ERROR'
  | 'ERROR'
  | 'FREQUENCY_LIMITED'
  | 'REFUNDNOTEXIST';

export function returnFailXml(code: V2ReturnFailCode, detail?: string): string {
  const msg = V2_RETURN_MESSAGES[code];
  return buildXml({ return_code: 'FAIL', return_msg: detail === undefined ? msg : `${msg}: ${detail}` });
}

export interface SignedAnswerInput {
  merchant: RegisteredMerchant;
  signType: SignType;
  /** Business fields (result_code, err_code, prepay_id, …). */
  fields: Readonly<Record<string, string>>;
  corruptSignature?: boolean;
}

/** A `return_code=SUCCESS` answer signed with the request's sign type, as WeChat signs it. */
export function signedAnswerXml({ merchant, signType, fields, corruptSignature = false }: SignedAnswerInput): string {
  const signed = withSign(
    { return_code: 'SUCCESS', return_msg: 'OK', appid: merchant.appId, mch_id: merchant.mchId, nonce_str: newNonceStr(), ...fields },
    merchant.apiKey,
    signType,
  );
  if (corruptSignature && signed.sign !== undefined) signed.sign = corruptSignatureText(signed.sign);
  return buildXml(signed);
}

export function businessFailFields(errCode: V2ErrCode, errCodeDes: string): Record<string, string> {
  return { result_code: 'FAIL', err_code: errCode, err_code_des: errCodeDes };
}
