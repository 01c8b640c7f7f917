import type { BillReturnMsg } from '../wire/downloadbill-wire';
import { billDayStartMs } from '../bill/bill-day';

/** bill_type values of the field table; RECHARGE_REFUND has no documented layout. */
export type BillType = 'ALL' | 'SUCCESS' | 'REFUND' | 'RECHARGE_REFUND';
const BILL_TYPES: ReadonlySet<string> = new Set<BillType>(['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND']);

export interface BillRequest {
  billDate: string;
  billType: BillType;
  gzip: boolean;
}

/**
 * downloadbill's own field rules (after appid/mch_id/sign, checked by the pipeline): nonce_str
 * and bill_date required, bill_date a real `yyyyMMdd`, bill_type one of four (default ALL), tar_type
 * only GZIP.
 */
export function checkBillRequest(fields: Readonly<Record<string, string>>): { ok: true; value: BillRequest } | { ok: false; returnMsg: BillReturnMsg } {
  const given = (name: string): boolean => fields[name] !== undefined && fields[name] !== '';
  if (!given('nonce_str') || !given('bill_date')) return { ok: false, returnMsg: 'missing parameter' };
  if ([...(fields.nonce_str ?? '')].length > 32) return { ok: false, returnMsg: 'data format error' };
  const billType = given('bill_type') ? (fields.bill_type ?? '') : 'ALL';
  if (!BILL_TYPES.has(billType)) return { ok: false, returnMsg: 'invalid bill_type' };
  if (given('tar_type') && fields.tar_type !== 'GZIP') return { ok: false, returnMsg: 'data format error' };
  const billDate = fields.bill_date ?? '';
  if (billDayStartMs(billDate) === undefined) return { ok: false, returnMsg: 'invalid bill_date' };
  return { ok: true, value: { billDate, billType: billType as BillType, gzip: given('tar_type') } };
}
