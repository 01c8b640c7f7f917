import { WxPayResultError, WxPayReturnError } from '@checkout/protocol/wxpay';
import type { WxPayCallOutcome } from '../metrics/bff-metrics';
import type { WxPayCallEvent } from './wxpay-call-event';

/** The status part of a report event: everything except url, timing and out_trade_no. */
export type WxPayCallStatus = Pick<WxPayCallEvent, 'returnCode' | 'returnMsg' | 'resultCode' | 'errCode' | 'errCodeDes'>;

/** From an answer's wire fields (parsed XML), whether or not its signature was checked yet. */
export function callStatusFromFields(fields: Readonly<Record<string, string | undefined>>): WxPayCallStatus {
  return {
    returnCode: fields.return_code || 'FAIL',
    returnMsg: fields.return_msg || undefined,
    resultCode: fields.result_code || undefined,
    errCode: fields.err_code || undefined,
    errCodeDes: fields.err_code_des || undefined,
  };
}

/**
 * From an error thrown by a gateway call. Only class names and WeChat's own codes are kept:
 * error messages may quote payloads and must not travel to a third party.
 */
export function callStatusFromError(error: unknown): WxPayCallStatus {
  if (error instanceof WxPayResultError) {
    return { returnCode: 'SUCCESS', resultCode: 'FAIL', errCode: error.errCode, errCodeDes: error.errCodeDes };
  }
  if (error instanceof WxPayReturnError) return { returnCode: 'FAIL', returnMsg: error.returnMsg };
  return { returnCode: 'FAIL', returnMsg: describeTransportError(error) };
}

/** `TimeoutError`, `ECONNREFUSED`, `WxPaySignatureError:SIGN_INVALID`…: short and free of payload. */
export function describeTransportError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  const e = error as { name?: unknown; code?: unknown; cause?: unknown };
  const cause = e.cause as { code?: unknown } | undefined;
  const code = typeof e.code === 'string' ? e.code : typeof cause?.code === 'string' ? cause.code : undefined;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  return code ? `${name}:${code}` : name;
}

export function callOutcome(status: WxPayCallStatus, transportFailed = false): WxPayCallOutcome {
  if (transportFailed) return 'CONNECTION_ERROR';
  if (status.returnCode !== 'SUCCESS') return 'RETURN_FAIL';
  if (status.resultCode !== undefined && status.resultCode !== 'SUCCESS') return 'RESULT_FAIL';
  return 'SUCCESS';
}

/** Metric label for an interface: the path (`/pay/unifiedorder`), never a query string. */
export function interfaceLabel(interfaceUrl: string): string {
  try {
    return new URL(interfaceUrl).pathname;
  } catch {
    return 'unknown';
  }
}
