import type { FieldProblem } from './v2-field-rules';

/*
 * The optional merchant fields of unifiedorder, from the field table and the 单品优惠 document:
 * device_info, limit_pay, receipt, profit_sharing, scene_info, detail. Written here from the
 * documents, not shared with any client, so a misreading on one side shows up against the other.
 * String(n) of free text (names, addresses) is counted in UTF-8 bytes: the stricter reading.
 */

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const bad = (detail: string): FieldProblem => ({ code: 'PARAM_ERROR', detail });

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  limit_pay: ['no_credit'],
  // 传入Y时 … 出现开票入口: Y is the only value the table gives.
  receipt: ['Y'],
  // 字母要求大写.
  profit_sharing: ['Y', 'N'],
};

/** 设备号 String(32): terminal ids and "WEB" in the documents, so printable ASCII only. */
const DEVICE_INFO = /^[\x21-\x7e]{1,32}$/;

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function textMember(object: Record<string, unknown>, name: string, maxBytes: number, where: string, required: boolean): FieldProblem | undefined {
  const value = object[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') return bad(`${where}.${name} must be a non-empty string`);
  if (bytes(value) > maxBytes) return bad(`${where}.${name} longer than ${maxBytes} bytes`);
  return undefined;
}

function intMember(object: Record<string, unknown>, name: string, where: string, required: boolean): FieldProblem | undefined {
  const value = object[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2_147_483_647) return bad(`${where}.${name} must be a positive integer`);
  return undefined;
}

function onlyMembers(object: Record<string, unknown>, allowed: readonly string[], where: string): FieldProblem | undefined {
  const extra = Object.keys(object).find((name) => !allowed.includes(name));
  return extra === undefined ? undefined : bad(`${where}.${extra} is not a documented member`);
}

/** scene_info String(256): `{"store_info":{"id" String(32),"name" String(64),"area_code" 6 digits,"address" String(128)}}`. */
export function sceneInfoProblem(text: string): FieldProblem | undefined {
  if (bytes(text) > 256) return bad('scene_info longer than 256 bytes');
  const scene = parseObject(text);
  if (scene === undefined) return bad('scene_info must be a JSON object');
  const store = scene.store_info;
  if (typeof store !== 'object' || store === null || Array.isArray(store)) return bad('scene_info.store_info must be an object');
  const s = store as Record<string, unknown>;
  const problem =
    onlyMembers(s, ['id', 'name', 'area_code', 'address'], 'store_info') ??
    textMember(s, 'id', 32, 'store_info', true) ??
    textMember(s, 'name', 64, 'store_info', true) ??
    textMember(s, 'address', 128, 'store_info', true);
  if (problem !== undefined) return problem;
  if (typeof s.area_code !== 'string' || !/^\d{6}$/.test(s.area_code)) return bad('store_info.area_code must be a 6-digit 行政区划码');
  return undefined;
}

/** detail String(6000), 单品优惠: `{"cost_price"?, "receipt_id"?, "goods_detail":[{goods_id, quantity, price, …}]}`. */
export function goodsDetailProblem(text: string): FieldProblem | undefined {
  if (bytes(text) > 6000) return bad('detail longer than 6000 bytes');
  // The table's example wraps the object in [ ]; its XML example and the 单品优惠 document do not. The bare object only.
  const detail = parseObject(text);
  if (detail === undefined) return bad('detail must be a JSON object');
  const top = onlyMembers(detail, ['cost_price', 'receipt_id', 'goods_detail'], 'detail') ?? intMember(detail, 'cost_price', 'detail', false) ?? textMember(detail, 'receipt_id', 32, 'detail', false);
  if (top !== undefined) return top;
  const lines = detail.goods_detail;
  if (!Array.isArray(lines) || lines.length === 0) return bad('detail.goods_detail must be a non-empty array');
  for (const [index, line] of lines.entries()) {
    const where = `goods_detail[${index}]`;
    if (typeof line !== 'object' || line === null || Array.isArray(line)) return bad(`${where} must be an object`);
    const l = line as Record<string, unknown>;
    const problem =
      onlyMembers(l, ['goods_id', 'wxpay_goods_id', 'goods_name', 'quantity', 'price', 'goods_category', 'body'], where) ??
      textMember(l, 'goods_id', 32, where, true) ??
      textMember(l, 'wxpay_goods_id', 32, where, false) ??
      textMember(l, 'goods_name', 256, where, false) ??
      intMember(l, 'quantity', where, true) ??
      intMember(l, 'price', where, true) ??
      textMember(l, 'goods_category', 32, where, false) ??
      textMember(l, 'body', 1000, where, false);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** The merchant fields a unifiedorder may carry; undefined when every one given is valid. */
export function merchantFieldsProblem(fields: Readonly<Record<string, string>>): FieldProblem | undefined {
  // An empty element is not signed and counts as not sent, as for every v2 field.
  const given = (name: string): string | undefined => (fields[name] === '' ? undefined : fields[name]);
  const device = given('device_info');
  if (device !== undefined && !DEVICE_INFO.test(device)) return bad('device_info must be 1-32 printable ASCII characters');
  for (const [name, allowed] of Object.entries(ENUMS)) {
    const value = given(name);
    if (value !== undefined && !allowed.includes(value)) return bad(`${name} must be ${allowed.join(' or ')}`);
  }
  const scene = given('scene_info');
  const sceneProblem = scene === undefined ? undefined : sceneInfoProblem(scene);
  if (sceneProblem !== undefined) return sceneProblem;
  const detail = given('detail');
  return detail === undefined ? undefined : goodsDetailProblem(detail);
}
