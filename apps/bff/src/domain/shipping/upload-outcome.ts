/** What to do with an upload after WeChat's answer. */
export type UploadOutcome = { outcome: 'delivered' } | { outcome: 'retry'; error: string } | { outcome: 'failed'; error: string };

/**
 * WeChat may take 10 s to 1 min to know a fresh payment (支付单不存在 until then): 10060001 is
 * retried for this long after the upload was recorded, then it is a dead letter.
 */
export const PAYMENT_VISIBILITY_GRACE_MS = 10 * 60_000;

/** Busy, or a token problem that survived one renewal, or a quota: worth trying again later. */
const transientErrcodes = new Set([-1, 40001, 41001, 42001, 45009, 45011]);

/**
 * Classifies an errcode of upload_shipping_info. Anything else (47001 data format, 10060003
 * re-ship used, 10060004 not shippable, 10060031 wrong payer, 268485216 upload_time, unknown
 * codes) cannot succeed by waiting: a dead letter with the errcode and errmsg for an operator.
 */
export function classifyUploadErrcode(errcode: number, errmsg: string, ageMs: number, graceMs = PAYMENT_VISIBILITY_GRACE_MS): UploadOutcome {
  if (errcode === 0) return { outcome: 'delivered' };
  const error = `WX_ERRCODE:${errcode}:${errmsg.slice(0, 160)}`;
  if (transientErrcodes.has(errcode)) return { outcome: 'retry', error };
  if (errcode === 10060001 && ageMs < graceMs) return { outcome: 'retry', error };
  return { outcome: 'failed', error };
}
