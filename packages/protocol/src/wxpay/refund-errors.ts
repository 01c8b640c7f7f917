import { WxPayResultError, WxPayReturnError } from './errors';

/**
 * What to do after a refund request failed. `result_code=FAIL` always means WeChat did not accept
 * the refund, so no money moved; the official rule is to resubmit a failed refund with the
 * original out_refund_no, never a new one (the same number refunds at most once).
 * - `retry_same_out_refund_no`: retry now (with backoff), same out_refund_no and same parameters.
 * - `retry_later_same_out_refund_no`: same, but after at least a minute (rate limits) or once the
 *   merchant's refundable balance is topped up (NOTENOUGH).
 * - `refused`: will not succeed as sent; stop retrying, surface err_code/err_code_des to a person.
 * - `outcome_unknown` (only from `classifyRefundFailure`): the request may have been accepted
 *   (timeout, unverifiable answer). Never treat it as failed: query by out_refund_no or retry it.
 */
export type RefundErrorClass = 'retry_same_out_refund_no' | 'retry_later_same_out_refund_no' | 'refused' | 'outcome_unknown';

/** The official refund err_code table's remedies. */
const REFUND_ERR_CODE_CLASSES: Readonly<Record<string, Exclude<RefundErrorClass, 'outcome_unknown'>>> = {
  SYSTEMERROR: 'retry_same_out_refund_no',
  BIZERR_NEED_RETRY: 'retry_same_out_refund_no',
  FREQUENCY_LIMITED: 'retry_later_same_out_refund_no',
  INVALID_REQ_TOO_MUCH: 'retry_later_same_out_refund_no',
  NOTENOUGH: 'retry_later_same_out_refund_no',
  TRADE_OVERDUE: 'refused',
  USER_ACCOUNT_ABNORMAL: 'refused',
  INVALID_TRANSACTIONID: 'refused',
  PARAM_ERROR: 'refused',
  APPID_NOT_EXIST: 'refused',
  MCHID_NOT_EXIST: 'refused',
  ORDERNOTEXIST: 'refused',
  REQUIRE_POST_METHOD: 'refused',
  SIGNERROR: 'refused',
  XML_FORMAT_ERROR: 'refused',
  ERROR: 'refused',
};

/** Minimum wait before a `retry_later_same_out_refund_no` retry: "请在1分钟后再来重试". */
export const REFUND_RETRY_LATER_SECONDS = 60;

/**
 * Classifies a refund `err_code`. ERROR ("act on err_code_des") and codes not in the official
 * table are `refused`: nothing was refunded, and a person decides (keeping the out_refund_no).
 */
export function classifyRefundError(errCode: string): Exclude<RefundErrorClass, 'outcome_unknown'> {
  return (Object.hasOwn(REFUND_ERR_CODE_CLASSES, errCode) ? REFUND_ERR_CODE_CLASSES[errCode] : undefined) ?? 'refused';
}

/**
 * Classifies what sending a refund request and reading its answer threw. `WxPayResultError` →
 * by err_code; `WxPayReturnError` (return_code=FAIL: certificate, signature, parameters; not
 * processed) → `refused`; a connection error or an answer that fails verification (XML,
 * signature, merchant, fields) or anything else → `outcome_unknown`.
 */
export function classifyRefundFailure(error: unknown): RefundErrorClass {
  if (error instanceof WxPayResultError) return classifyRefundError(error.errCode);
  if (error instanceof WxPayReturnError) return 'refused';
  // The request may have reached WeChat: only a query (or an idempotent retry) can tell.
  return 'outcome_unknown';
}
