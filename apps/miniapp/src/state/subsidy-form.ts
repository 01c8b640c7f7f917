import { subsidyBuyerSchema, type IdentityDocumentType, type SubsidyBuyer } from '@checkout/protocol/contract';

export interface SubsidyFormValues {
  realName: string;
  identityDocumentType: IdentityDocumentType;
  idCardNumber: string;
  phoneNumber: string;
  receiveRegionCode: string;
  qualificationRegionCode: string;
}

export type SubsidyFormErrors = Partial<Record<keyof SubsidyFormValues, string>>;

export const emptySubsidyForm: SubsidyFormValues = {
  realName: '',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '',
  phoneNumber: '',
  receiveRegionCode: '',
  qualificationRegionCode: '',
};

/** Shown when the schema's own message is not written for buyers. */
const fallbackMessages: Record<keyof SubsidyFormValues, string> = {
  realName: '请填写 2–40 字的真实姓名',
  identityDocumentType: '请选择证件类型',
  idCardNumber: '证件号码格式不正确',
  phoneNumber: '手机号须为 11 位数字',
  receiveRegionCode: '收货地区码须为 6 位数字',
  qualificationRegionCode: '资格地区码须为 6 位数字',
};

/** Valid values for every field but the document pair (used to check that pair alone). */
const knownValidBuyer = {
  realName: '张三',
  phoneNumber: '13800138000',
  receiveRegionCode: '110105',
  qualificationRegionCode: 110100,
};

const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

/** Validates with the shared contract schema, the same one the BFF applies. */
export function validateSubsidyForm(values: SubsidyFormValues): { ok: true; buyer: SubsidyBuyer } | { ok: false; errors: SubsidyFormErrors } {
  const qualification = values.qualificationRegionCode.trim();
  const parsed = subsidyBuyerSchema.safeParse({
    realName: values.realName,
    identityDocumentType: values.identityDocumentType,
    idCardNumber: values.idCardNumber,
    phoneNumber: values.phoneNumber.trim(),
    receiveRegionCode: values.receiveRegionCode.trim(),
    qualificationRegionCode: /^\d+$/.test(qualification) ? Number(qualification) : Number.NaN,
  });
  if (parsed.success) return { ok: true, buyer: parsed.data };
  const errors: SubsidyFormErrors = {};
  const issues = [...parsed.error.issues];
  // The schema checks the number against the document type only once every other field is valid;
  // check that pair on its own too, so the buyer sees every problem at once.
  if (!issues.some((issue) => issue.path[0] === 'idCardNumber')) {
    const alone = subsidyBuyerSchema.safeParse({ ...knownValidBuyer, identityDocumentType: values.identityDocumentType, idCardNumber: values.idCardNumber });
    if (!alone.success) issues.push(...alone.error.issues.filter((issue) => issue.path[0] === 'idCardNumber'));
  }
  for (const issue of issues) {
    const key = issue.path[0] as keyof SubsidyFormValues | undefined;
    if (key === undefined || !(key in fallbackMessages) || errors[key]) continue;
    errors[key] = hasChinese(issue.message) ? issue.message : fallbackMessages[key];
  }
  return { ok: false, errors };
}
