import { WxPayValidationError } from './errors';
import { requirePattern } from './field-rules';
import { isWxPayTime } from './wxpay-time';

/*
 * Field rules of the refund messages (refund, refundquery, refund notification). Request-side
 * failures name the wire field, like field-rules.ts.
 */

/** 商户退款单号: 1–64 characters of `[0-9A-Za-z_\-|*@]`; the idempotency key of a refund. */
export const OUT_REFUND_NO_RE = /^[0-9A-Za-z_\-|*@]{1,64}$/;

export function requireOutRefundNo(value: unknown): string {
  return requirePattern(value, 'out_refund_no', OUT_REFUND_NO_RE, '1-64 characters of [0-9A-Za-z_-|*@]');
}

/** transaction_id and refund_id: String(32) issued by WeChat (digits in practice). */
const WXPAY_ID_RE = /^[0-9A-Za-z]{1,32}$/;

export function requireWxPayId(value: unknown, field: 'transaction_id' | 'refund_id'): string {
  return requirePattern(value, field, WXPAY_ID_RE, '1-32 letters and digits');
}

/** A request amount in integer fen, at least `min`. */
export function requireFen(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${String(value)} must be an integer number of fen ≥ ${min}`);
  }
  return value;
}

/** 退款资金来源 (refund_account). */
export type RefundAccount = 'REFUND_SOURCE_UNSETTLED_FUNDS' | 'REFUND_SOURCE_RECHARGE_FUNDS';

export const REFUND_ACCOUNTS: readonly RefundAccount[] = ['REFUND_SOURCE_UNSETTLED_FUNDS', 'REFUND_SOURCE_RECHARGE_FUNDS'];

export function isRefundAccount(value: unknown): value is RefundAccount {
  return typeof value === 'string' && (REFUND_ACCOUNTS as readonly string[]).includes(value);
}

const REFUND_TIME_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})$/;

/** `yyyy-MM-dd HH:mm:ss` (Beijing time) that is a real date: refund_success_time, success_time. */
export function isRefundTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = REFUND_TIME_RE.exec(value);
  return m !== null && isWxPayTime(m.slice(1).join(''));
}

/** A received optional refund time: absent or empty → undefined, malformed → FIELD_INVALID. */
export function parseOptionalRefundTime(fields: Readonly<Record<string, string>>, field: string): string | undefined {
  const value = fields[field];
  if (value === undefined || value === '') return undefined;
  if (!isRefundTime(value)) {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(value)} is not yyyy-MM-dd HH:mm:ss`, fields);
  }
  return value;
}
