import { WxPayReturnError, WxPayValidationError } from './errors';
import { parseIntField, parseOptionalIntField, requireReceived } from './field-rules';
import { verifyV2, type SignType } from './v2-sign';
import { buildXml, parseXml } from './xml-codec';

export interface NotificationCoupon {
  id: string;
  /** CASH or NO_CASH when WeChat says so. */
  type?: string;
  /** fen */
  fee: number;
}

/** A verified pay-result notification. Amounts are integer fen. */
export interface PayNotification {
  /** `result_code`: a verified FAIL is a valid, failed payment. */
  outcome: 'SUCCESS' | 'FAIL';
  appId: string;
  mchId: string;
  outTradeNo: string;
  /** Empty only on a FAIL notification that carries none. */
  transactionId: string;
  /** Compare this (not cashFee) with the stored order. */
  totalFee: number;
  /** 0 only on a FAIL notification that carries none. */
  cashFee: number;
  openid: string;
  /** yyyyMMddHHmmss, Beijing time. */
  timeEnd: string;
  bankType: string;
  errCode?: string;
  errCodeDes?: string;
  coupons: NotificationCoupon[];
  settlementTotalFee?: number;
  /** The algorithm the notification was signed with (inferred from the sign length). */
  signType: SignType;
  /** Every verified field, unknown ones included. */
  fields: Record<string, string>;
  /**
   * Optional fields whose shape is not the documented one (e.g. `coupon_id` without its index):
   * kept raw in `fields`, mapped where possible, never a reason to refuse a signed notification.
   */
  unexpectedShapes: string[];
}

/** Exactly what WeChat expects back; anything else (or a timeout) makes it retry for 24h4m. */
const NOTIFY_ACK = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

const MAX_COUPONS = 100;
const COUNT = /^\d{1,3}$/;
const FEN = /^(0|[1-9]\d{0,15})$/;

/**
 * Coupons from the indexed fields of the field table (`coupon_id_$n`, …). WeChat's own example
 * sends `coupon_id`/`coupon_type` without the index, so those are read as coupon 0. Coupons are
 * optional information about a payment that already happened: a shape other than the documented
 * one is noted in `unexpected`, never a reason to refuse the notification.
 */
function readCoupons(fields: Record<string, string>, unexpected: string[]): NotificationCoupon[] {
  const countText = fields.coupon_count;
  let count = 0;
  if (countText !== undefined && countText !== '') {
    if (COUNT.test(countText) && Number(countText) <= MAX_COUPONS) count = Number(countText);
    else unexpected.push('coupon_count');
  }
  for (const name of ['coupon_id', 'coupon_type']) if (fields[name] !== undefined) unexpected.push(name);
  const coupons: NotificationCoupon[] = [];
  for (let n = 0; n < count; n++) {
    const unindexed = n === 0 && count === 1;
    const id = fields[`coupon_id_${n}`] ?? (unindexed ? fields.coupon_id : undefined);
    const type = fields[`coupon_type_${n}`] ?? (unindexed ? fields.coupon_type : undefined);
    // With one coupon its fee is the total coupon_fee.
    const fee = fields[`coupon_fee_${n}`] ?? (unindexed ? fields.coupon_fee : undefined);
    if (id === undefined || id === '' || fee === undefined || !FEN.test(fee)) {
      unexpected.push(`coupon_${n}`);
      continue;
    }
    coupons.push({ id, ...(type === undefined || type === '' ? {} : { type }), fee: Number(fee) });
  }
  return coupons;
}

function optionalFen(fields: Record<string, string>, name: string, unexpected: string[]): number | undefined {
  const value = fields[name];
  if (value === undefined || value === '') return undefined;
  if (FEN.test(value)) return Number(value);
  unexpected.push(name);
  return undefined;
}

/**
 * Parses and verifies a pay-result notification body (the raw request body as a string). The
 * signature covers every field received, coupon and unknown ones included. The caller must still
 * check appId, mchId, outTradeNo and totalFee against its stored order before acting on it.
 */
export function parsePayNotification(xml: string, options: { apiKey: string }): PayNotification {
  const fields = parseXml(xml);
  if (fields.return_code === 'FAIL') throw new WxPayReturnError(fields.return_msg ?? '', fields);
  if (fields.return_code !== 'SUCCESS') {
    throw new WxPayValidationError('FIELD_INVALID', 'return_code', `return_code ${JSON.stringify(fields.return_code)} is not SUCCESS`, fields);
  }
  const signType = verifyV2(fields, options.apiKey);
  const outcome = fields.result_code;
  if (outcome !== 'SUCCESS' && outcome !== 'FAIL') {
    throw new WxPayValidationError('FIELD_INVALID', 'result_code', `result_code ${JSON.stringify(outcome)} is not SUCCESS or FAIL`, fields);
  }
  const paid = outcome === 'SUCCESS';
  // A successful payment must say everything about itself; a failed one may leave some out.
  const text = (name: string): string => (paid ? requireReceived(fields, name) : (fields[name] ?? ''));
  const errCode = fields.err_code;
  const errCodeDes = fields.err_code_des;
  const unexpectedShapes: string[] = [];
  const coupons = readCoupons(fields, unexpectedShapes);
  const settlementTotalFee = optionalFen(fields, 'settlement_total_fee', unexpectedShapes);
  return {
    outcome,
    appId: requireReceived(fields, 'appid'),
    mchId: requireReceived(fields, 'mch_id'),
    outTradeNo: requireReceived(fields, 'out_trade_no'),
    transactionId: text('transaction_id'),
    totalFee: parseIntField(fields.total_fee, 'total_fee', fields),
    cashFee: paid ? parseIntField(fields.cash_fee, 'cash_fee', fields) : (parseOptionalIntField(fields.cash_fee, 'cash_fee', fields) ?? 0),
    openid: text('openid'),
    timeEnd: text('time_end'),
    bankType: text('bank_type'),
    ...(errCode === undefined || errCode === '' ? {} : { errCode }),
    ...(errCodeDes === undefined || errCodeDes === '' ? {} : { errCodeDes }),
    coupons,
    ...(settlementTotalFee === undefined ? {} : { settlementTotalFee }),
    signType,
    fields,
    unexpectedShapes,
  };
}

/** The exact SUCCESS acknowledgement (also for duplicates of an already processed notification). */
export function buildNotifyAck(): string {
  return NOTIFY_ACK;
}

/** A FAIL acknowledgement: WeChat will retry. `message` must not carry secrets. */
export function buildNotifyFailAck(message: string): string {
  return buildXml({ return_code: 'FAIL', return_msg: message });
}

/** Does an answer acknowledge the notification (well-formed XML, return_code SUCCESS)? */
export function isNotifyAck(body: string): boolean {
  if (typeof body !== 'string') return false;
  if (body === NOTIFY_ACK) return true;
  try {
    return parseXml(body).return_code === 'SUCCESS';
  } catch {
    return false;
  }
}
