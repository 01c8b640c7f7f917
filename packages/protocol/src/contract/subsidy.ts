import { z } from 'zod';

export const identityDocumentTypes = [
  'ID_DOC_TYPE_ID_CARD',
  'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC',
  'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_TW',
] as const;
export const identityDocumentTypeSchema = z.enum(identityDocumentTypes);
export type IdentityDocumentType = z.infer<typeof identityDocumentTypeSchema>;

/** Mainland resident ID: 17 digits then a digit or X. */
const idCardPattern = /^\d{17}[\dX]$/;
/** HK/MO/TW mainland travel permits: letter-led or 8–18 alphanumerics. */
const permitPattern = /^[A-Z0-9]{8,18}$/;

/**
 * Buyer details for a national-subsidy order, sent once at checkout. The BFF encrypts them at
 * rest and never returns them. Region codes are 6-digit administrative division codes.
 */
export const subsidyBuyerSchema = z
  .object({
    realName: z.string().check(z.trim(), z.minLength(2), z.maxLength(40)),
    identityDocumentType: identityDocumentTypeSchema,
    idCardNumber: z.string().check(z.trim(), z.toUpperCase()),
    phoneNumber: z.string().check(z.regex(/^1\d{10}$/, '手机号须为 11 位数字')),
    receiveRegionCode: z.string().check(z.regex(/^\d{6}$/, '收货地区码须为 6 位数字')),
    qualificationRegionCode: z.number().check(z.int(), z.gte(100000), z.lte(999999)),
  })
  .check(
    z.superRefine((value, ctx) => {
      const pattern = value.identityDocumentType === 'ID_DOC_TYPE_ID_CARD' ? idCardPattern : permitPattern;
      if (!pattern.test(value.idCardNumber)) {
        ctx.addIssue({ code: 'custom', path: ['idCardNumber'], message: '证件号码格式不正确' });
      }
    }),
  );
export type SubsidyBuyer = z.infer<typeof subsidyBuyerSchema>;
