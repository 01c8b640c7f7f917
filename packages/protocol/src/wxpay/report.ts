import { WxPayValidationError } from './errors';
import { optionalText, requireIpAddress, requirePattern, requireText, requireWxPayTime } from './field-rules';
import type { V2Merchant } from './merchant';
import { buildV2Request, type V2Request } from './v2-request';
import { parseXml } from './xml-codec';

/*
 * payitil/report (交易保障). No client certificate; the response is not signed. Reporting must
 * never block or fail the payment path: callers send it asynchronously and swallow its errors.
 */

/** `POST https://api.mch.weixin.qq.com/payitil/report` */
export const REPORT_PATH = '/payitil/report';
/** interface_url of the micropay batch shape. */
export const MICROPAY_REPORT_INTERFACE_URL = 'https://api.mch.weixin.qq.com/pay/batchreport/micropay/total';

export type ReportCode = 'SUCCESS' | 'FAIL';
export type MicropayTradeState = 'OK' | 'FAIL' | 'CANCLE';

/** One timed WeChat Pay call. */
export interface SingleCallReportInput {
  /** Full URL of the reported API, e.g. https://api.mch.weixin.qq.com/pay/unifiedorder */
  interfaceUrl: string;
  /** Sent as `execute_time_` (trailing underscore: the official name). */
  executeTimeMs: number;
  returnCode: ReportCode;
  returnMsg?: string;
  /**
   * Required by WeChat Pay even when no business answer came back (timeout, connection refused,
   * return_code FAIL): send FAIL then, with an err_code/err_code_des saying what happened.
   */
  resultCode: ReportCode;
  errCode?: string;
  errCodeDes?: string;
  outTradeNo?: string;
  /** String(16): an IPv4 address (an IPv6 address does not fit). */
  userIp: string;
  /** yyyyMMddHHmmss */
  time: string;
  deviceInfo?: string;
}

export interface MicropayTrade {
  outTradeNo: string;
  /** yyyyMMddHHmmss */
  beginTime: string;
  /** yyyyMMddHHmmss */
  endTime: string;
  /** `CANCLE` is WeChat's spelling. */
  state: MicropayTradeState;
  errMsg?: string;
}

export interface MicropayReportInput {
  userIp: string;
  trades: readonly MicropayTrade[];
  deviceInfo?: string;
}

const MAX_EXECUTE_TIME_MS = 24 * 3600 * 1000;

function requireCode(value: unknown, field: string): ReportCode {
  if (value !== 'SUCCESS' && value !== 'FAIL') {
    throw new WxPayValidationError(
      value === undefined ? 'FIELD_MISSING' : 'FIELD_INVALID',
      field,
      `${field} ${JSON.stringify(value)} is not SUCCESS or FAIL`,
    );
  }
  return value;
}

/** `user_ip` is String(16) on the wire. */
const USER_IP_MAX = 16;

function requireReportUserIp(value: unknown): string {
  const ip = requireIpAddress(value, 'user_ip');
  if (ip.length > USER_IP_MAX) {
    throw new WxPayValidationError('FIELD_INVALID', 'user_ip', `user_ip is String(${USER_IP_MAX}); ${JSON.stringify(ip)} is ${ip.length} characters (use the server's IPv4 address)`);
  }
  return ip;
}

function requireInterfaceUrl(value: unknown): string {
  return requirePattern(requireText(value, 'interface_url', 128), 'interface_url', /^https?:\/\/[^\s/]+\/\S*$/, 'a full http(s) URL');
}

function requireExecuteTime(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_EXECUTE_TIME_MS) {
    throw new WxPayValidationError('FIELD_INVALID', 'execute_time_', `execute_time_ ${String(value)} is not a whole number of milliseconds`);
  }
  return String(value);
}

function requireTradeState(value: unknown, field: string): MicropayTradeState {
  if (value !== 'OK' && value !== 'FAIL' && value !== 'CANCLE') {
    throw new WxPayValidationError('FIELD_INVALID', field, `${field} ${JSON.stringify(value)} is not OK, FAIL or CANCLE`);
  }
  return value;
}

/** The single-call shape of the official merchant documentation. */
export function buildSingleCallReport(input: SingleCallReportInput, merchant: V2Merchant, nonceStr: string): V2Request {
  return buildV2Request(
    {
      device_info: optionalText(input.deviceInfo, 'device_info', 32),
      interface_url: requireInterfaceUrl(input.interfaceUrl),
      execute_time_: requireExecuteTime(input.executeTimeMs),
      return_code: requireCode(input.returnCode, 'return_code'),
      return_msg: optionalText(input.returnMsg, 'return_msg', 128),
      result_code: requireCode(input.resultCode, 'result_code'),
      err_code: optionalText(input.errCode, 'err_code', 32),
      err_code_des: optionalText(input.errCodeDes, 'err_code_des', 128),
      out_trade_no: optionalText(input.outTradeNo, 'out_trade_no', 32),
      user_ip: requireReportUserIp(input.userIp),
      time: requireWxPayTime(input.time, 'time'),
    },
    merchant,
    nonceStr,
  );
}

function tradeToWire(trade: MicropayTrade, n: number): Record<string, string> {
  return {
    out_trade_no: requireText(trade.outTradeNo, `trades[${n}].out_trade_no`, 32),
    begin_time: requireWxPayTime(trade.beginTime, `trades[${n}].begin_time`),
    end_time: requireWxPayTime(trade.endTime, `trades[${n}].end_time`),
    state: requireTradeState(trade.state, `trades[${n}].state`),
    err_msg: trade.errMsg ?? '',
  };
}

/** The micropay batch shape: `trades` is a JSON string of `{out_trade_no, begin_time, end_time, state, err_msg}`. */
export function buildMicropayReport(input: MicropayReportInput, merchant: V2Merchant, nonceStr: string): V2Request {
  if (!Array.isArray(input.trades) || input.trades.length === 0) {
    throw new WxPayValidationError('FIELD_MISSING', 'trades', 'trades must list at least one trade');
  }
  return buildV2Request(
    {
      device_info: optionalText(input.deviceInfo, 'device_info', 32),
      interface_url: MICROPAY_REPORT_INTERFACE_URL,
      user_ip: requireReportUserIp(input.userIp),
      trades: JSON.stringify(input.trades.map(tradeToWire)),
    },
    merchant,
    nonceStr,
  );
}

/** The (unsigned) report response. Never throws on FAIL: reporting failures are only logged. */
export function parseReportResponse(xml: string): { returnCode: ReportCode; returnMsg?: string; resultCode?: ReportCode } {
  const fields = parseXml(xml);
  const returnCode = requireCode(fields.return_code, 'return_code');
  const resultCode = fields.result_code === undefined || fields.result_code === '' ? undefined : requireCode(fields.result_code, 'result_code');
  const returnMsg = fields.return_msg;
  return {
    returnCode,
    ...(returnMsg === undefined || returnMsg === '' ? {} : { returnMsg }),
    ...(resultCode === undefined ? {} : { resultCode }),
  };
}
