import { isIP } from 'node:net';
import type { V2ReturnFailCode } from '../wire/v2-wire';
import { isRealWxTime } from './wx-time';
import { merchantFieldsProblem } from './unifiedorder-merchant-rules';

export interface FieldProblem {
  code: Extract<V2ReturnFailCode, 'LACK_PARAMS' | 'PARAM_ERROR'>;
  detail: string;
}

export const TOTAL_FEE = /^[1-9][0-9]{0,9}$/;
/** 商户订单号: at most 32 of digits, letters and _-|* (field table). */
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{1,32}$/;
const BODY_MAX_BYTES = 127;

export function missing(fields: Readonly<Record<string, string>>, names: readonly string[]): FieldProblem | undefined {
  const name = names.find((n) => fields[n] === undefined || fields[n] === '');
  return name === undefined ? undefined : { code: 'LACK_PARAMS', detail: name };
}

export function tooLong(fields: Readonly<Record<string, string>>, limits: Readonly<Record<string, number>>): FieldProblem | undefined {
  for (const [name, max] of Object.entries(limits)) {
    const value = fields[name];
    if (value !== undefined && [...value].length > max) return { code: 'PARAM_ERROR', detail: `${name} longer than ${max} characters` };
  }
  return undefined;
}

export function notifyUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'notify_url is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'notify_url must be http or https';
  if (url.search !== '' || value.includes('?')) return 'notify_url must not carry a query string';
  return undefined;
}

/** unifiedorder (JSAPI) required fields and formats, per the official field table. */
export function unifiedOrderProblem(fields: Readonly<Record<string, string>>): FieldProblem | undefined {
  const lack = missing(fields, ['nonce_str', 'body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type']);
  if (lack !== undefined) return lack;
  if (fields.trade_type !== 'JSAPI') return { code: 'PARAM_ERROR', detail: 'trade_type: the emulator serves JSAPI (mini-program) orders only' };
  if (fields.openid === undefined || fields.openid === '') return { code: 'LACK_PARAMS', detail: 'openid (JSAPI支付必须传openid)' };
  const long = tooLong(fields, { nonce_str: 32, attach: 127, openid: 128, spbill_create_ip: 64, notify_url: 256, detail: 6000, goods_tag: 32, device_info: 32, limit_pay: 32, receipt: 8, profit_sharing: 16, scene_info: 256 });
  if (long !== undefined) return long;
  // body is String(127); counted in UTF-8 bytes, the stricter reading (see README).
  const bodyBytes = Buffer.byteLength(fields.body ?? '', 'utf8');
  if (bodyBytes > BODY_MAX_BYTES) return { code: 'PARAM_ERROR', detail: `body参数长度有误: ${bodyBytes} bytes of UTF-8, at most ${BODY_MAX_BYTES}` };
  if (!OUT_TRADE_NO.test(fields.out_trade_no ?? '')) return { code: 'PARAM_ERROR', detail: 'out_trade_no must be 1-32 of [0-9A-Za-z_-|*]' };
  if (!TOTAL_FEE.test(fields.total_fee ?? '') || Number(fields.total_fee) > 2_147_483_647) {
    return { code: 'PARAM_ERROR', detail: 'total_fee must be a positive integer number of fen' };
  }
  if (fields.fee_type !== undefined && fields.fee_type !== 'CNY') return { code: 'PARAM_ERROR', detail: 'fee_type must be CNY' };
  // 支持IPV4和IPV6两种格式的IP地址 (field table): anything else is refused.
  if (isIP(fields.spbill_create_ip ?? '') === 0) return { code: 'PARAM_ERROR', detail: 'spbill_create_ip must be an IPv4 or IPv6 address' };
  for (const name of ['time_start', 'time_expire']) {
    const value = fields[name];
    if (value !== undefined && !isRealWxTime(value)) return { code: 'PARAM_ERROR', detail: `${name} must be a real yyyyMMddHHmmss time` };
  }
  const urlProblem = notifyUrlProblem(fields.notify_url ?? '');
  if (urlProblem !== undefined) return { code: 'PARAM_ERROR', detail: urlProblem };
  return merchantFieldsProblem(fields);
}

export function orderQueryProblem(fields: Readonly<Record<string, string>>): FieldProblem | undefined {
  const lack = missing(fields, ['nonce_str']);
  if (lack !== undefined) return lack;
  if ((fields.transaction_id ?? '') === '' && (fields.out_trade_no ?? '') === '') return { code: 'LACK_PARAMS', detail: 'transaction_id or out_trade_no' };
  return tooLong(fields, { nonce_str: 32, out_trade_no: 32, transaction_id: 32 });
}

export function closeOrderProblem(fields: Readonly<Record<string, string>>): FieldProblem | undefined {
  return missing(fields, ['nonce_str', 'out_trade_no']) ?? tooLong(fields, { nonce_str: 32, out_trade_no: 32 });
}
