import { z } from 'zod';
import { OUT_TRADE_NO_RE } from './field-rules';

/**
 * 交易信息回传: report a national-subsidy (国补) appliance sale to WeChat Pay in real time after
 * payment (CATE_STATE_REDEEM) and when the goods come back (CATE_STATE_REFUND, with refund_id).
 * Wire names and types exactly as WeChat Pay defines them; note `qualification_region_code` is a
 * JSON number while `receive_region_code` is a string.
 */
export const GOV_SUBSIDY_SYNC_PATH = '/v3/gov/subsidy/transactions/sync';

export const govSubsidyEnergyGrades = ['FIRST_LEVEL', 'SECOND_LEVEL', 'ENERGY_GRADE_UNKNOWN'] as const;
export const govSubsidySaleModels = ['SALE_MODEL_ONLINE', 'SALE_MODEL_OFFLINE'] as const;
export const govSubsidyCateStates = ['CATE_STATE_REDEEM', 'CATE_STATE_REFUND'] as const;
export const govSubsidyIdentityDocumentTypes = [
  'ID_DOC_TYPE_ID_CARD',
  'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC',
  'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_TW',
] as const;

export type GovSubsidyEnergyGrade = (typeof govSubsidyEnergyGrades)[number];
export type GovSubsidySaleModel = (typeof govSubsidySaleModels)[number];
export type GovSubsidyCateState = (typeof govSubsidyCateStates)[number];
export type GovSubsidyIdentityDocumentType = (typeof govSubsidyIdentityDocumentTypes)[number];

/**
 * Personal data sent only as RSA-OAEP ciphertext under the WeChat Pay public key (`encryptOaep`),
 * with `Wechatpay-Serial` naming that key. Never log these, even encrypted.
 */
export const GOV_SUBSIDY_SENSITIVE_FIELDS = ['real_name', 'id_card_number', 'phone_number'] as const;
export type GovSubsidySensitiveField = (typeof GOV_SUBSIDY_SENSITIVE_FIELDS)[number];

/**
 * An RSA-2048 OAEP ciphertext is 256 bytes = 344 base64 characters. Requiring exactly that shape
 * catches the dangerous bug of sending a name, ID number or phone number in clear text.
 */
const oaepCiphertextSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{341}[AQgw]==$/, 'must be the base64 RSA-OAEP ciphertext (344 chars), never plain text');

const fenAmountSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** 6-digit administrative division code. */
const regionCodePattern = /^\d{6}$/;

export const govSubsidySyncRequestSchema = z
  .strictObject({
    real_name: oaepCiphertextSchema.optional(),
    id_card_number: oaepCiphertextSchema.optional(),
    phone_number: oaepCiphertextSchema.optional(),
    /** Appliance category id, 1–17. */
    appliance_id: z.number().int().min(1).max(17).optional(),
    /** The merchant's payment order number (v2 out_trade_no). */
    out_trade_no: z.string().regex(OUT_TRADE_NO_RE, 'must be 1–32 of [0-9A-Za-z_-|*]'),
    energy_grade: z.enum(govSubsidyEnergyGrades).optional(),
    /** String on the wire. */
    receive_region_code: z.string().regex(regionCodePattern, 'must be a 6-digit region code string'),
    brand: z.string().min(1).max(128),
    address: z.string().min(1).max(512).optional(),
    /** Number on the wire. */
    qualification_region_code: z.number().int().min(100000).max(999999),
    seller_name: z.string().min(1).max(256),
    /** 统一社会信用代码: 18 characters, digits and upper-case letters except I, O, S, V, Z. */
    license_number: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code'),
    /** Integer fen. */
    order_amount: fenAmountSchema.min(1),
    /** Integer fen, the national-subsidy discount only (other discounts must not be added in). */
    discount_amount: fenAmountSchema,
    /** RFC 3339 with an explicit offset, whole seconds: `2025-01-14T19:55:06+08:00`. */
    transaction_time: z.iso.datetime({ offset: true, precision: 0 }),
    mch_order_id: z.string().min(1).max(64),
    /** Required when cate_state is CATE_STATE_REFUND. */
    refund_id: z.string().min(1).max(64).optional(),
    mch_name: z.string().min(1).max(256),
    sale_model: z.enum(govSubsidySaleModels).optional(),
    cate_state: z.enum(govSubsidyCateStates),
    identity_document_type: z.enum(govSubsidyIdentityDocumentTypes),
    sub_mchid: z.string().regex(/^\d{1,32}$/).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.cate_state === 'CATE_STATE_REFUND' && value.refund_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['refund_id'], message: 'refund_id is required when cate_state is CATE_STATE_REFUND' });
    }
    if (value.discount_amount > value.order_amount) {
      ctx.addIssue({ code: 'custom', path: ['discount_amount'], message: 'discount_amount must not exceed order_amount' });
    }
  });
export type GovSubsidySyncRequest = z.infer<typeof govSubsidySyncRequestSchema>;

/** 200 answer (and the shape of v3 error bodies): `{ code, message }`. */
export const govSubsidySyncResponseSchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type GovSubsidySyncResponse = z.infer<typeof govSubsidySyncResponseSchema>;
