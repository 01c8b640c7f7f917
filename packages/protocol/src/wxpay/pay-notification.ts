import { WxPayReturnError, WxPayValidationError } from './errors';
import { parseIntField, parseOptionalIntField, requireReceived } from './field-rules';
import { verifyV2, type SignType } from './v2-sign';
import { buildXml, parseXml } from './xml-codec';
import { readCoupons, type NotificationCoupon } from './payment-coupons';

export type { NotificationCoupon } from './payment-coupons';

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

const FEN = /^(0|[1-9]\d{0,15})$/;

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
