import { classifyUploadErrcode, type UploadOutcome } from './upload-outcome';
import { uploadAlreadyApplied } from './upload-already-applied';
import type { UploadShippingInfoRequest } from './upload-shipping-request';
import type { WechatShippingApi } from './wechat-shipping-api';

export interface ShippingUploadAttempt {
  request: UploadShippingInfoRequest;
  /** Time since the upload was recorded (for the payment-visibility grace). */
  ageMs: number;
}

/**
 * One attempt at an upload. Every attempt first asks get_order whether WeChat already shows it:
 * an earlier attempt's answer may have been lost (timeout, dropped connection, 5xx), possibly
 * before a crash or before an operator re-queued a dead job (which restarts the attempt count),
 * and a second upload would spend the order's one re-ship. Only an upload WeChat does not show is sent.
 */
export async function deliverShippingUpload(api: WechatShippingApi, attempt: ShippingUploadAttempt, graceMs?: number): Promise<UploadOutcome & { alreadyApplied?: true }> {
  const known = await api.getOrder(attempt.request.order_key.transaction_id);
  if (known.kind === 'unavailable') return { outcome: 'retry', error: `GET_ORDER_UNAVAILABLE:${known.reason}` };
  if (known.kind === 'ok' && uploadAlreadyApplied(attempt.request, known.value.shipping)) return { outcome: 'delivered', alreadyApplied: true };
  // An errcode (e.g. 10060001, not visible yet) says nothing is known there: the upload decides.
  const result = await api.uploadShippingInfo(attempt.request);
  if (result.kind === 'unavailable') return { outcome: 'retry', error: result.reason };
  if (result.kind === 'ok') return { outcome: 'delivered' };
  return classifyUploadErrcode(result.errcode, result.errmsg, attempt.ageMs, graceMs);
}
