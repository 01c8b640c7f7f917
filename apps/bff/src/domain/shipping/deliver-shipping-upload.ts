import { classifyUploadErrcode, type UploadOutcome } from './upload-outcome';
import { uploadAlreadyApplied } from './upload-already-applied';
import type { UploadShippingInfoRequest } from './upload-shipping-request';
import type { WechatShippingApi } from './wechat-shipping-api';

export interface ShippingUploadAttempt {
  request: UploadShippingInfoRequest;
  /** 1 on the first try. */
  attempt: number;
  /** Time since the upload was recorded (for the payment-visibility grace). */
  ageMs: number;
}

/**
 * One attempt at an upload. A retry first asks get_order whether an earlier attempt already went
 * through (its answer may have been lost to a timeout, a dropped connection or a 5xx): only an
 * upload WeChat does not show yet is sent again.
 */
export async function deliverShippingUpload(api: WechatShippingApi, attempt: ShippingUploadAttempt, graceMs?: number): Promise<UploadOutcome & { alreadyApplied?: true }> {
  if (attempt.attempt > 1) {
    const known = await api.getOrder(attempt.request.order_key.transaction_id);
    if (known.kind === 'unavailable') return { outcome: 'retry', error: `GET_ORDER_UNAVAILABLE:${known.reason}` };
    if (known.kind === 'ok' && uploadAlreadyApplied(attempt.request, known.value.shipping)) return { outcome: 'delivered', alreadyApplied: true };
    // errcode (e.g. 10060001, not visible yet): nothing is known there; the upload decides.
  }
  const result = await api.uploadShippingInfo(attempt.request);
  if (result.kind === 'unavailable') return { outcome: 'retry', error: result.reason };
  if (result.kind === 'ok') return { outcome: 'delivered' };
  return classifyUploadErrcode(result.errcode, result.errmsg, attempt.ageMs, graceMs);
}
