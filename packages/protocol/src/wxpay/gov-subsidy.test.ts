import { describe, expect, it } from 'vitest';
import { testKeys } from '../testing/test-keys';
import {
  GOV_SUBSIDY_SENSITIVE_FIELDS,
  GOV_SUBSIDY_SYNC_PATH,
  govSubsidySyncRequestSchema,
  govSubsidySyncResponseSchema,
  type GovSubsidySyncRequest,
} from './gov-subsidy';
import { decryptOaep, encryptOaep } from './v3-oaep';

const encrypt = (value: string): string => encryptOaep(value, testKeys.platform.publicKey);

/** The seed page's example body, with real ciphertexts in place of its placeholder strings. */
const valid: GovSubsidySyncRequest = {
  real_name: encrypt('张三'),
  id_card_number: encrypt('110105194912310029'),
  phone_number: encrypt('13800138000'),
  appliance_id: 1,
  out_trade_no: 'vmall_250120131959_993_4494',
  energy_grade: 'FIRST_LEVEL',
  receive_region_code: '110101',
  brand: '海尔',
  address: '深圳市南山区',
  qualification_region_code: 310100,
  seller_name: '联想（北京）信息技术有限公司',
  license_number: '91110108397173806M',
  order_amount: 10000,
  discount_amount: 2000,
  transaction_time: '2025-01-14T19:55:06+08:00',
  mch_order_id: '123456789',
  refund_id: '123456789',
  mch_name: '江苏京东信息技术有限公司',
  sale_model: 'SALE_MODEL_OFFLINE',
  cate_state: 'CATE_STATE_REDEEM',
  identity_document_type: 'ID_DOC_TYPE_ID_CARD',
  sub_mchid: '123456',
};

const requiredFields = [
  'out_trade_no',
  'receive_region_code',
  'brand',
  'qualification_region_code',
  'seller_name',
  'license_number',
  'order_amount',
  'discount_amount',
  'transaction_time',
  'mch_order_id',
  'mch_name',
  'identity_document_type',
  'cate_state',
] as const;
const optionalFields = ['real_name', 'id_card_number', 'phone_number', 'appliance_id', 'energy_grade', 'address', 'refund_id', 'sale_model', 'sub_mchid'] as const;

function without(name: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...valid };
  delete copy[name];
  return copy;
}

function issuePaths(body: unknown): string[] {
  const result = govSubsidySyncRequestSchema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('govSubsidySyncRequestSchema', () => {
  it('targets the documented path', () => {
    expect(GOV_SUBSIDY_SYNC_PATH).toBe('/v3/gov/subsidy/transactions/sync');
  });

  it('accepts the documented example with every field, and the ciphertexts decrypt', () => {
    const parsed = govSubsidySyncRequestSchema.parse(valid);
    expect(parsed).toEqual(valid);
    expect(decryptOaep(parsed.real_name ?? '', testKeys.platform.privateKey)).toBe('张三');
  });

  it('accepts the minimal body (only required fields) and survives JSON', () => {
    const minimal: Record<string, unknown> = { ...valid };
    for (const name of optionalFields) delete minimal[name];
    expect(issuePaths(JSON.parse(JSON.stringify(minimal)))).toEqual([]);
  });

  it.each(requiredFields)('requires %s', (name) => {
    expect(issuePaths(without(name))).toContain(name);
  });

  it('lists the OAEP-encrypted fields', () => {
    expect([...GOV_SUBSIDY_SENSITIVE_FIELDS].sort()).toEqual(['id_card_number', 'phone_number', 'real_name']);
  });

  it.each(GOV_SUBSIDY_SENSITIVE_FIELDS)('refuses %s in clear text', (name) => {
    for (const clear of ['张三', '110105194912310029', '13800138000', 'H12345678', 'OEimkKuua8igpd+0YDgqF2Z61l=']) {
      expect(issuePaths({ ...valid, [name]: clear })).toEqual([name]);
    }
  });

  it('types region codes as WeChat does: qualification a number, receive a string', () => {
    expect(issuePaths({ ...valid, qualification_region_code: '310100' })).toEqual(['qualification_region_code']);
    expect(issuePaths({ ...valid, receive_region_code: 110101 })).toEqual(['receive_region_code']);
    expect(issuePaths({ ...valid, qualification_region_code: 3101 })).toEqual(['qualification_region_code']);
    expect(issuePaths({ ...valid, qualification_region_code: 310100.5 })).toEqual(['qualification_region_code']);
    expect(issuePaths({ ...valid, receive_region_code: '11010' })).toEqual(['receive_region_code']);
  });

  it('takes amounts as integer fen', () => {
    expect(issuePaths({ ...valid, order_amount: 100.5 })).toEqual(['order_amount']);
    expect(issuePaths({ ...valid, order_amount: '10000' })).toEqual(['order_amount']);
    expect(issuePaths({ ...valid, order_amount: 0, discount_amount: 0 })).toEqual(['order_amount']);
    expect(issuePaths({ ...valid, discount_amount: -1 })).toEqual(['discount_amount']);
    expect(issuePaths({ ...valid, discount_amount: 20.01 })).toEqual(['discount_amount']);
    expect(issuePaths({ ...valid, discount_amount: 0 })).toEqual([]);
    expect(issuePaths({ ...valid, discount_amount: 10001 })).toEqual(['discount_amount']);
  });

  it.each([
    ['2025-01-14T19:55:06+08:00', true],
    ['2025-01-14T11:55:06Z', true],
    ['2025-01-14T19:55:06', false],
    ['2025-01-14 19:55:06+08:00', false],
    ['2025-01-14T19:55:06.123+08:00', false],
    ['20250114195506', false],
    ['2025-13-14T19:55:06+08:00', false],
  ])('transaction_time %s valid: %s', (value, ok) => {
    expect(issuePaths({ ...valid, transaction_time: value })).toEqual(ok ? [] : ['transaction_time']);
  });

  it('bounds appliance_id to the integers 1–17', () => {
    expect(issuePaths({ ...valid, appliance_id: 17 })).toEqual([]);
    expect(issuePaths({ ...valid, appliance_id: 0 })).toEqual(['appliance_id']);
    expect(issuePaths({ ...valid, appliance_id: 18 })).toEqual(['appliance_id']);
    expect(issuePaths({ ...valid, appliance_id: 1.5 })).toEqual(['appliance_id']);
    expect(issuePaths({ ...valid, appliance_id: '1' })).toEqual(['appliance_id']);
  });

  it.each([
    ['energy_grade', ['FIRST_LEVEL', 'SECOND_LEVEL', 'ENERGY_GRADE_UNKNOWN'], 'THIRD_LEVEL'],
    ['sale_model', ['SALE_MODEL_ONLINE', 'SALE_MODEL_OFFLINE'], 'ONLINE'],
    ['cate_state', ['CATE_STATE_REDEEM', 'CATE_STATE_REFUND'], 'CATE_STATE_CANCEL'],
    [
      'identity_document_type',
      ['ID_DOC_TYPE_ID_CARD', 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC', 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_TW'],
      'ID_DOC_TYPE_PASSPORT',
    ],
  ])('%s takes exactly its enum values', (name, values, bad) => {
    for (const value of values) expect(issuePaths({ ...valid, [name]: value })).toEqual([]);
    expect(issuePaths({ ...valid, [name]: bad })).toEqual([name]);
    expect(issuePaths({ ...valid, [name]: values[0]?.toLowerCase() })).toEqual([name]);
  });

  it('requires refund_id when cate_state is CATE_STATE_REFUND', () => {
    const refund = { ...without('refund_id'), cate_state: 'CATE_STATE_REFUND' };
    expect(issuePaths(refund)).toEqual(['refund_id']);
    expect(issuePaths({ ...refund, refund_id: 'R1' })).toEqual([]);
    expect(issuePaths({ ...without('refund_id'), cate_state: 'CATE_STATE_REDEEM' })).toEqual([]);
  });

  it('checks identifiers and refuses unknown fields (a typo would otherwise be dropped silently)', () => {
    expect(issuePaths({ ...valid, out_trade_no: 'has space' })).toEqual(['out_trade_no']);
    expect(issuePaths({ ...valid, out_trade_no: 'x'.repeat(33) })).toEqual(['out_trade_no']);
    expect(issuePaths({ ...valid, license_number: '91110108397173806' })).toEqual(['license_number']);
    expect(issuePaths({ ...valid, license_number: '9111010839717380OM' })).toEqual(['license_number']);
    expect(issuePaths({ ...valid, brand: '' })).toEqual(['brand']);
    expect(issuePaths({ ...valid, sub_mchid: 'abc' })).toEqual(['sub_mchid']);
    expect(issuePaths({ ...valid, qualification_region: 310100 })).toEqual(['']);
  });
});

describe('govSubsidySyncResponseSchema', () => {
  it('accepts {code, message}', () => {
    expect(govSubsidySyncResponseSchema.parse({ code: 'SUCCESS', message: '成功' })).toEqual({ code: 'SUCCESS', message: '成功' });
  });

  it('refuses a body without code or message', () => {
    expect(govSubsidySyncResponseSchema.safeParse({ code: 'SUCCESS' }).success).toBe(false);
    expect(govSubsidySyncResponseSchema.safeParse({ message: 'x' }).success).toBe(false);
    expect(govSubsidySyncResponseSchema.safeParse({ code: 0, message: 'x' }).success).toBe(false);
  });
});
