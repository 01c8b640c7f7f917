import { subsidyBuyerSchema, type IdentityDocumentType, type SubsidyBuyer } from '@checkout/protocol/contract';

export interface SubsidyFormValues {
  realName: string;
  identityDocumentType: IdentityDocumentType;
  idCardNumber: string;
  phoneNumber: string;
  /** 6-digit administrative division codes, from the region picker. */
  receiveRegionCode: string;
  qualificationRegionCode: string;
  /** What the picker showed ("广东省 深圳市 南山区"): display only, never sent. */
  receiveRegionName: string;
  qualificationRegionName: string;
}

type CheckedField = Exclude<keyof SubsidyFormValues, 'receiveRegionName' | 'qualificationRegionName'>;
export type SubsidyFormErrors = Partial<Record<CheckedField, string>>;

export const emptySubsidyForm: SubsidyFormValues = {
  realName: '',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '',
  phoneNumber: '',
  receiveRegionCode: '',
  qualificationRegionCode: '',
  receiveRegionName: '',
  qualificationRegionName: '',
};

/** Shown when the schema's own message is not written for buyers. */
const fallbackMessages: Record<CheckedField, string> = {
  realName: '请填写 2–40 字的真实姓名',
  identityDocumentType: '请选择证件类型',
  idCardNumber: '证件号码格式不正确',
  phoneNumber: '手机号须为 11 位数字',
  receiveRegionCode: '请选择收货地区',
  qualificationRegionCode: '请选择资格地区',
};

/** Says what is wrong with the document number, not only that something is. */
function documentNumberProblem(type: IdentityDocumentType, raw: string): string | null {
  const value = raw.trim().toUpperCase();
  if (value === '') return '请输入证件号码';
  if (type === 'ID_DOC_TYPE_ID_CARD') {
    if (value.length !== 18) return `身份证号码应为 18 位，当前 ${value.length} 位`;
    if (!/^\d{17}[\dX]$/.test(value)) return '身份证号码应为 17 位数字，最后一位为数字或 X';
    return null;
  }
  if (!/^[A-Z0-9]*$/.test(value)) return '通行证号码只能包含字母和数字';
  if (value.length < 8 || value.length > 18) return `通行证号码应为 8–18 位，当前 ${value.length} 位`;
  return null;
}

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
  const documentProblem = documentNumberProblem(values.identityDocumentType, values.idCardNumber);
  if (documentProblem) errors.idCardNumber = documentProblem;
  if (values.receiveRegionCode.trim() === '') errors.receiveRegionCode = fallbackMessages.receiveRegionCode;
  if (qualification === '') errors.qualificationRegionCode = fallbackMessages.qualificationRegionCode;
  for (const issue of issues) {
    const key = issue.path[0] as CheckedField | undefined;
    if (key === undefined || !(key in fallbackMessages) || errors[key]) continue;
    errors[key] = hasChinese(issue.message) ? issue.message : fallbackMessages[key];
  }
  return { ok: false, errors };
}
