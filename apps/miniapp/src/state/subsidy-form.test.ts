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

describe('subsidy form messages', () => {
  it('asks for an empty document number and says what is wrong with a malformed one', () => {
    const errorFor = (values: typeof valid) => {
      const result = validateSubsidyForm(values);
      return result.ok ? null : result.errors.idCardNumber;
    };
    expect(errorFor({ ...valid, idCardNumber: '  ' })).toBe('请输入证件号码');
    expect(errorFor({ ...valid, idCardNumber: '1101051949' })).toBe('身份证号码应为 18 位，当前 10 位');
    expect(errorFor({ ...valid, idCardNumber: '1101051949123100YX' })).toBe('身份证号码应为 17 位数字，最后一位为数字或 X');
    const permit = { ...valid, identityDocumentType: 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_TW' as const };
    expect(errorFor({ ...permit, idCardNumber: 'AB-12345' })).toBe('通行证号码只能包含字母和数字');
    expect(errorFor({ ...permit, idCardNumber: 'AB123' })).toBe('通行证号码应为 8–18 位，当前 5 位');
  });

  it('asks to pick the regions that were not picked', () => {
    const result = validateSubsidyForm({ ...valid, receiveRegionCode: '', qualificationRegionCode: '' });
    expect(result.ok ? null : result.errors).toMatchObject({ receiveRegionCode: '请选择收货地区', qualificationRegionCode: '请选择资格地区' });
  });
});
