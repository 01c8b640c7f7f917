import { describe, expect, it } from 'vitest';
import { emptySubsidyForm, validateSubsidyForm } from './subsidy-form';

const valid = {
  ...emptySubsidyForm,
  realName: '张三',
  idCardNumber: '11010519491231002x',
  phoneNumber: '13800138000',
  receiveRegionCode: '440305',
  qualificationRegionCode: '440300',
};

describe('subsidy form', () => {
  it('produces the contract shape: upper-cased ID, numeric qualification region', () => {
    expect(validateSubsidyForm(valid)).toEqual({
      ok: true,
      buyer: {
        realName: '张三',
        identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
        idCardNumber: '11010519491231002X',
        phoneNumber: '13800138000',
        receiveRegionCode: '440305',
        qualificationRegionCode: 440300,
      },
    });
  });

  it('reports every bad field in Chinese', () => {
    const result = validateSubsidyForm({ ...valid, realName: '张', idCardNumber: '123', phoneNumber: '1380013', receiveRegionCode: '44', qualificationRegionCode: 'abc' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['idCardNumber', 'phoneNumber', 'qualificationRegionCode', 'realName', 'receiveRegionCode']);
    for (const message of Object.values(result.errors)) expect(message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('checks the number against the chosen document type', () => {
    const permit = { ...valid, identityDocumentType: 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC' as const };
    expect(validateSubsidyForm({ ...permit, idCardNumber: 'H12345678' }).ok).toBe(true);
    expect(validateSubsidyForm({ ...permit, idCardNumber: 'H-1' }).ok).toBe(false);
  });
});
