import { requireBillDate } from './bill-time';
import { WxPayError, WxPayValidationError } from './errors';
import type { V2Merchant } from './merchant';
import { isTradeBillType, type TradeBillType } from './trade-bill-columns';
import { WxPayBillError } from './trade-bill-error';
import { buildV2Request, type V2Request } from './v2-request';
import { parseXml } from './xml-codec';

/** `POST https://api.mch.weixin.qq.com/pay/downloadbill` (no client certificate). */
export const DOWNLOADBILL_PATH = '/pay/downloadbill';

export interface DownloadBillInput {
  /** `yyyyMMdd`, a Beijing calendar day. */
  billDate: string;
  /** Default ALL (sent explicitly: older docs said SUCCESS was the default). */
  billType?: TradeBillType;
  /** Ask for a gzip body (`tar_type=GZIP`); the parser detects gzip by its magic bytes either way. */
  gzip?: boolean;
}

export function buildDownloadBillRequest(input: DownloadBillInput, merchant: V2Merchant, nonceStr: string): V2Request {
  const billType = input.billType ?? 'ALL';
  if (!isTradeBillType(billType)) {
    throw new WxPayValidationError('FIELD_INVALID', 'bill_type', `bill_type ${JSON.stringify(billType)} is not ALL, SUCCESS or REFUND`);
  }
  return buildV2Request(
    { bill_date: requireBillDate(input.billDate), bill_type: billType, tar_type: input.gzip === true ? 'GZIP' : undefined },
    merchant,
    nonceStr,
  );
}

/**
 * What an XML error answer means, from its `return_msg` (the documented messages; the numeric
 * `error_code` is known only for 20001 and 20002 and is kept as information).
 */
export type DownloadBillErrorKind =
  /** `Bill Creating`: the bill is being built (before ~10:00 Beijing the next day). Retry later. */
  | 'bill_not_ready'
  /** `No Bill Exist`: the merchant had no successful trade that day, so there is no bill. */
  | 'no_trades_that_day'
  /** `invalid bill_date`: the date is malformed, in the future or older than three months. */
  | 'invalid_bill_date'
  /** `invalid bill_type`. */
  | 'invalid_bill_type'
  /** `data format error`, `missing parameter`, other parameter errors. Fix the request. */
  | 'invalid_request'
  /** `SIGN ERROR` / `sign error`: wrong key or signing. */
  | 'signature_invalid'
  /** `SYSTEMERROR`: WeChat failed or timed out. Retry. */
  | 'system_error'
  /** `CompressGZip Error` / `UnCompressGZip Error`. Retry later. */
  | 'compression_failed'
  /** A message none of the above. Not retried automatically; look at `returnMsg`. */
  | 'unknown';

const RETRYABLE: ReadonlySet<DownloadBillErrorKind> = new Set(['bill_not_ready', 'system_error', 'compression_failed']);

/** Compared lower-case and space-collapsed: the doc once wrote `NO Bill Exist`, real answers say `No Bill Exist`. */
const KIND_BY_MESSAGE: ReadonlyMap<string, DownloadBillErrorKind> = new Map([
  ['bill creating', 'bill_not_ready'],
  ['no bill exist', 'no_trades_that_day'],
  ['invalid bill_date', 'invalid_bill_date'],
  ['invalid bill_type', 'invalid_bill_type'],
  ['data format error', 'invalid_request'],
  ['missing parameter', 'invalid_request'],
  ['invalid tar_type', 'invalid_request'],
  ['sign error', 'signature_invalid'],
  ['systemerror', 'system_error'],
  ['compressgzip error', 'compression_failed'],
  ['uncompressgzip error', 'compression_failed'],
]);

export function downloadBillErrorKind(returnMsg: string): DownloadBillErrorKind {
  const key = returnMsg.trim().replace(/\s+/g, ' ').toLowerCase();
  return KIND_BY_MESSAGE.get(key) ?? (key.includes('bill_date') ? 'invalid_bill_date' : 'unknown');
}

/** downloadbill answered `<xml><return_code>FAIL</return_code>…</xml>` instead of a bill. */
export class WxPayDownloadBillError extends WxPayError {
  override name = 'WxPayDownloadBillError';
  readonly kind: DownloadBillErrorKind;
  constructor(
    readonly returnMsg: string,
    /** `error_code` as sent (`'20002'`), when present. */
    readonly errorCode: string | undefined,
    raw?: unknown,
  ) {
    super('DOWNLOADBILL_FAIL', `downloadbill return_code=FAIL: ${returnMsg}${errorCode === undefined ? '' : ` (error_code ${errorCode})`}`, raw);
    this.kind = downloadBillErrorKind(returnMsg);
  }

  /** WeChat asks to try again later (bill not built yet, system error, compression failure). */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** Error answers are a few hundred bytes; anything far larger starting with `<` is not one. */
export const DOWNLOADBILL_ERROR_MAX_BYTES = 64 * 1024;

/** Does this start of a body (first bytes or text) begin an XML answer rather than a bill? */
export function looksLikeXmlAnswer(start: string): boolean {
  let i = start.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < start.length && /\s/.test(start[i] ?? '')) i++;
  return start[i] === '<';
}

/**
 * Turns an XML answer into the error it reports: `WxPayDownloadBillError` for
 * `return_code=FAIL` (it is unsigned, like every FAIL answer), `WxPayBillError` with
 * `BILL_UNEXPECTED_XML` for any other XML, `WxPayXmlError` when it does not parse.
 */
export function downloadBillXmlError(xml: string): WxPayError {
  const fields = parseXml(xml);
  if (fields.return_code === 'FAIL') {
    return new WxPayDownloadBillError(fields.return_msg ?? '', fields.error_code === '' ? undefined : fields.error_code, fields);
  }
  return new WxPayBillError('BILL_UNEXPECTED_XML', `downloadbill answered XML with return_code ${JSON.stringify(fields.return_code)} instead of a bill`);
}
