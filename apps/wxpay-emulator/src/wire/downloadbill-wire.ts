import { buildXml } from '@checkout/protocol/wxpay';
import { V2_RETURN_MESSAGES, type V2ReturnFailCode } from './v2-wire';

/*
 * downloadbill refusals: unsigned `<xml>` with return_code FAIL, return_msg from the official
 * table (exact text, nothing appended: clients classify by it) and `error_code` (not err_code).
 * Only 20001 (sign error) and 20002 (No Bill Exist) are known numbers; the other answers carry
 * no error_code rather than an invented one.
 */

export type BillReturnMsg =
  | 'SYSTEMERROR'
  | 'invalid bill_type'
  | 'invalid bill_date'
  | 'data format error'
  | 'missing parameter'
  | 'sign error'
  | 'No Bill Exist'
  | 'Bill Creating';

const ERROR_CODES: Partial<Record<BillReturnMsg, string>> = { 'sign error': '20001', 'No Bill Exist': '20002' };

export function billFailXml(returnMsg: BillReturnMsg): string {
  const errorCode = ERROR_CODES[returnMsg];
  return buildXml({ return_code: 'FAIL', return_msg: returnMsg, ...(errorCode === undefined ? {} : { error_code: errorCode }) });
}

/** The common v2 request-level refusals, as downloadbill words them. */
export function billRequestFailXml(code: V2ReturnFailCode): string {
  switch (code) {
    case 'SIGNERROR':
      return billFailXml('sign error');
    case 'LACK_PARAMS':
      return billFailXml('missing parameter');
    case 'XML_FORMAT_ERROR':
    case 'POST_DATA_EMPTY':
    case 'REQUIRE_POST_METHOD':
    case 'NOT_UTF8':
    case 'PARAM_ERROR':
      return billFailXml('data format error');
    // Unknown appid/mch_id: the common envelope's answers (downloadbill's table has none).
    case 'APPID_NOT_EXIST':
    case 'MCHID_NOT_EXIST':
    case 'APPID_MCHID_NOT_MATCH':
    case 'CERT_INVALID':
      return buildXml({ return_code: 'FAIL', return_msg: V2_RETURN_MESSAGES[code] });
  }
}
