import { isIPv4 } from 'node:net';
import type { FieldProblem } from './v2-field-rules';
import { isRealWxTime } from './wx-time';

/*
 * payitil/report (交易保障) as the merchant field table describes it, checked with the emulator's
 * own rules (not the client's builder), so a client bug cannot pass both sides.
 */

export const MICROPAY_BATCH_INTERFACE_URL = 'https://api.mch.weixin.qq.com/pay/batchreport/micropay/total';

export type ReportCode = 'SUCCESS' | 'FAIL';

export interface ReceivedMicropayTrade {
  outTradeNo: string;
  beginTime: string;
  endTime: string;
  /** `CANCLE` is WeChat's spelling. */
  state: 'OK' | 'FAIL' | 'CANCLE';
  errMsg?: string;
}

interface ReportCommon {
  appId?: string;
  mchId: string;
  deviceInfo?: string;
  userIp: string;
}

export type ReportContent =
  | (ReportCommon & {
      kind: 'single';
      interfaceUrl: string;
      executeTimeMs: number;
      returnCode: ReportCode;
      returnMsg?: string;
      resultCode: ReportCode;
      errCode?: string;
      errCodeDes?: string;
      outTradeNo?: string;
      time?: string;
    })
  | (ReportCommon & { kind: 'micropay'; trades: ReceivedMicropayTrade[] });

type Checked<T> = { ok: true; value: T } | { ok: false; problem: FieldProblem };

const lack = (field: string): { ok: false; problem: FieldProblem } => ({ ok: false, problem: { code: 'LACK_PARAMS', detail: field } });
const bad = (detail: string): { ok: false; problem: FieldProblem } => ({ ok: false, problem: { code: 'PARAM_ERROR', detail } });

/** String(n) fields of the table, counted in characters. */
const MAX_LENGTH: Readonly<Record<string, number>> = {
  appid: 32,
  mch_id: 32,
  device_info: 32,
  nonce_str: 32,
  sign: 64,
  sign_type: 32,
  interface_url: 128,
  return_code: 16,
  return_msg: 128,
  result_code: 16,
  err_code: 32,
  err_code_des: 128,
  out_trade_no: 32,
  user_ip: 16,
  time: 14,
};

const WHOLE_NUMBER = /^(0|[1-9]\d{0,8})$/;

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

function code(fields: Readonly<Record<string, string>>, name: 'return_code' | 'result_code'): Checked<ReportCode> {
  const value = fields[name];
  if (!present(value)) return lack(name);
  if (value !== 'SUCCESS' && value !== 'FAIL') return bad(`${name} must be SUCCESS or FAIL`);
  return { ok: true, value };
}

function optional(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = fields[name];
  return present(value) ? value : undefined;
}

function trades(json: string): Checked<ReceivedMicropayTrade[]> {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return bad('trades must be a JSON string');
  }
  if (!Array.isArray(data) || data.length === 0) return bad('trades must be a non-empty JSON array');
  const out: ReceivedMicropayTrade[] = [];
  for (const [n, item] of data.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return bad(`trades[${n}] must be an object`);
    const t = item as Record<string, unknown>;
    for (const name of ['out_trade_no', 'begin_time', 'end_time', 'state']) {
      if (typeof t[name] !== 'string' || t[name] === '') return lack(`trades[${n}].${name}`);
    }
    const outTradeNo = t.out_trade_no as string;
    const [beginTime, endTime, state] = [t.begin_time as string, t.end_time as string, t.state as string];
    if (outTradeNo.length > 32) return bad(`trades[${n}].out_trade_no longer than 32 characters`);
    if (!isRealWxTime(beginTime) || !isRealWxTime(endTime)) return bad(`trades[${n}] begin_time and end_time must be yyyyMMddHHmmss`);
    if (state !== 'OK' && state !== 'FAIL' && state !== 'CANCLE') return bad(`trades[${n}].state must be OK, FAIL or CANCLE`);
    if (t.err_msg !== undefined && typeof t.err_msg !== 'string') return bad(`trades[${n}].err_msg must be a string`);
    out.push({ outTradeNo, beginTime, endTime, state, ...(typeof t.err_msg === 'string' && t.err_msg !== '' ? { errMsg: t.err_msg } : {}) });
  }
  return { ok: true, value: out };
}

/** Checks a received report (signature verified separately) against the field table. */
export function checkReport(fields: Readonly<Record<string, string>>): Checked<ReportContent> {
  for (const name of ['mch_id', 'nonce_str', 'user_ip']) if (!present(fields[name])) return lack(name);
  for (const [name, max] of Object.entries(MAX_LENGTH)) {
    const value = fields[name];
    if (value !== undefined && [...value].length > max) return bad(`${name} is String(${max})`);
  }
  const userIp = fields.user_ip ?? '';
  if (!isIPv4(userIp)) return bad('user_ip must be the IPv4 address of the calling machine');
  const common: ReportCommon = {
    mchId: fields.mch_id ?? '',
    userIp,
    ...(present(fields.appid) ? { appId: fields.appid } : {}),
    ...(present(fields.device_info) ? { deviceInfo: fields.device_info } : {}),
  };
  const interfaceUrl = fields.interface_url;
  if (!present(interfaceUrl)) return lack('interface_url');
  if (!/^https?:\/\/[^\s/]+\/\S*$/.test(interfaceUrl)) return bad('interface_url must be the full URL of the reported API');

  if (interfaceUrl === MICROPAY_BATCH_INTERFACE_URL) {
    if (!present(fields.trades)) return lack('trades');
    const list = trades(fields.trades);
    return list.ok ? { ok: true, value: { ...common, kind: 'micropay', trades: list.value } } : list;
  }
  if (present(fields.trades)) return bad(`trades belongs to interface_url ${MICROPAY_BATCH_INTERFACE_URL}`);
  const executeTime = fields.execute_time_;
  if (!present(executeTime)) return lack(present(fields.execute_time) ? 'execute_time_ (the name ends with an underscore)' : 'execute_time_');
  if (!WHOLE_NUMBER.test(executeTime)) return bad('execute_time_ must be a whole number of milliseconds');
  const returnCode = code(fields, 'return_code');
  if (!returnCode.ok) return returnCode;
  const resultCode = code(fields, 'result_code');
  if (!resultCode.ok) return resultCode;
  const time = optional(fields, 'time');
  if (time !== undefined && !isRealWxTime(time)) return bad('time must be yyyyMMddHHmmss');
  const texts = {
    returnMsg: optional(fields, 'return_msg'),
    errCode: optional(fields, 'err_code'),
    errCodeDes: optional(fields, 'err_code_des'),
    outTradeNo: optional(fields, 'out_trade_no'),
    time,
  };
  return {
    ok: true,
    value: {
      ...common,
      kind: 'single',
      interfaceUrl,
      executeTimeMs: Number(executeTime),
      returnCode: returnCode.value,
      resultCode: resultCode.value,
      ...Object.fromEntries(Object.entries(texts).filter(([, v]) => v !== undefined)),
    },
  };
}
