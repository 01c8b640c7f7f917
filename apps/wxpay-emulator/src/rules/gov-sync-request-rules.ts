/*
 * The body of /v3/gov/subsidy/transactions/sync (交易信息回传) checked against the seed's field
 * table with the emulator's own rules (not the client's schema), so a client bug cannot pass both.
 */

type FieldType = 'string' | 'number';

interface FieldRule {
  type: FieldType;
  required: boolean;
  /** Allowed values (enums of the table). */
  oneOf?: readonly (string | number)[];
}

const APPLIANCE_IDS = Array.from({ length: 17 }, (_, i) => i + 1);

const FIELDS: Readonly<Record<string, FieldRule>> = {
  real_name: { type: 'string', required: false },
  id_card_number: { type: 'string', required: false },
  phone_number: { type: 'string', required: false },
  appliance_id: { type: 'number', required: false, oneOf: APPLIANCE_IDS },
  out_trade_no: { type: 'string', required: true },
  energy_grade: { type: 'string', required: false, oneOf: ['FIRST_LEVEL', 'SECOND_LEVEL', 'ENERGY_GRADE_UNKNOWN'] },
  receive_region_code: { type: 'string', required: true },
  brand: { type: 'string', required: true },
  address: { type: 'string', required: false },
  qualification_region_code: { type: 'number', required: true },
  seller_name: { type: 'string', required: true },
  license_number: { type: 'string', required: true },
  order_amount: { type: 'number', required: true },
  discount_amount: { type: 'number', required: true },
  transaction_time: { type: 'string', required: true },
  mch_order_id: { type: 'string', required: true },
  refund_id: { type: 'string', required: false },
  mch_name: { type: 'string', required: true },
  sale_model: { type: 'string', required: false, oneOf: ['SALE_MODEL_ONLINE', 'SALE_MODEL_OFFLINE'] },
  cate_state: { type: 'string', required: true, oneOf: ['CATE_STATE_REDEEM', 'CATE_STATE_REFUND'] },
  identity_document_type: {
    type: 'string',
    required: true,
    oneOf: ['ID_DOC_TYPE_ID_CARD', 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC', 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_TW'],
  },
  sub_mchid: { type: 'string', required: false },
};

/** Personal data that arrives as RSA-OAEP ciphertext under the WeChat Pay public key. */
export const ENCRYPTED_GOV_SYNC_FIELDS = ['real_name', 'id_card_number', 'phone_number'] as const;

export interface GovSyncBody {
  out_trade_no: string;
  qualification_region_code: number;
  cate_state: string;
  [field: string]: unknown;
}

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{1,32}$/;
const REGION_CODE = /^\d{6}$/;
/** RFC 3339 with an explicit offset, as in the table's example `2025-01-14T19:55:06+08:00`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type GovSyncCheck = { ok: true; body: GovSyncBody } | { ok: false; message: string };

const problem = (message: string): GovSyncCheck => ({ ok: false, message: `参数错误: ${message}` });

function isWholeFen(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function checkGovSyncBody(json: unknown): GovSyncCheck {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return problem('请求体必须是 JSON 对象');
  const body = json as Record<string, unknown>;
  for (const name of Object.keys(body)) {
    if (!Object.hasOwn(FIELDS, name)) return problem(`${name} 不是该接口的字段`);
  }
  for (const [name, rule] of Object.entries(FIELDS)) {
    const value = body[name];
    if (value === undefined || value === null) {
      if (rule.required) return problem(`缺少必填字段 ${name}`);
      continue;
    }
    if (typeof value !== rule.type) return problem(`${name} 应为 ${rule.type}`);
    if (rule.type === 'string' && value === '') return problem(`${name} 不能为空字符串`);
    if (rule.oneOf !== undefined && !rule.oneOf.includes(value as string | number)) return problem(`${name} 取值不在枚举 ${rule.oneOf.join(' | ')} 中`);
  }
  if (!OUT_TRADE_NO.test(body.out_trade_no as string)) return problem('out_trade_no 应为 1-32 位的商户支付订单号');
  if (!REGION_CODE.test(body.receive_region_code as string)) return problem('receive_region_code 应为 6 位地区编码字符串');
  const qualification = body.qualification_region_code as number;
  if (!Number.isInteger(qualification) || qualification < 100000 || qualification > 999999) return problem('qualification_region_code 应为 6 位地区编码数字');
  const [orderAmount, discountAmount] = [body.order_amount as number, body.discount_amount as number];
  if (!isWholeFen(orderAmount) || orderAmount === 0) return problem('order_amount 应为正整数(分)');
  if (!isWholeFen(discountAmount)) return problem('discount_amount 应为非负整数(分)');
  if (discountAmount > orderAmount) return problem('discount_amount 不能大于 order_amount');
  const time = body.transaction_time as string;
  if (!RFC3339.test(time) || Number.isNaN(Date.parse(time))) return problem('transaction_time 应为 RFC 3339 时间,如 2025-01-14T19:55:06+08:00');
  if (body.cate_state === 'CATE_STATE_REFUND' && body.refund_id === undefined) return problem('商品退回(CATE_STATE_REFUND)须填写 refund_id');
  return { ok: true, body: body as GovSyncBody };
}
