import { WxPayValidationError } from './errors';
import { requireReceived } from './field-rules';

/**
 * `refund_status` (refundquery `refund_status_$n`, refund notification): SUCCESS 退款成功,
 * REFUNDCLOSE 退款关闭, PROCESSING 退款处理中, CHANGE 退款异常 (the bank refused the money, e.g. a
 * cancelled card; settle it by hand on the merchant platform).
 */
export type RefundStatus = 'SUCCESS' | 'REFUNDCLOSE' | 'PROCESSING' | 'CHANGE';

export const REFUND_STATUSES: readonly RefundStatus[] = ['SUCCESS', 'REFUNDCLOSE', 'PROCESSING', 'CHANGE'];

export function isRefundStatus(value: unknown): value is RefundStatus {
  return typeof value === 'string' && (REFUND_STATUSES as readonly string[]).includes(value);
}

/** Only PROCESSING still moves on its own; CHANGE is final for WeChat but needs a person. */
export function isRefundStatusFinal(status: RefundStatus): boolean {
  return status !== 'PROCESSING';
}

/**
 * A received refund_status. An unknown value (the retired FAIL included) is refused, not kept:
 * a caller that cannot tell a refunded order from an unrefunded one must not move money on it.
 */
export function requireRefundStatus(fields: Readonly<Record<string, string>>, field: string): RefundStatus {
  const value = requireReceived(fields, field);
  if (!isRefundStatus(value)) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(value)} is not a known refund status`, fields);
  }
  return value;
}
