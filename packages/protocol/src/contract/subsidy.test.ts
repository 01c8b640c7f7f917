import { describe, expect, it } from 'vitest';
import { subsidyBuyerSchema, type SubsidyBuyer } from './subsidy';

const buyer: SubsidyBuyer = {
  realName: '张三',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '11010519491231002X',
  phoneNumber: '13800138000',
  receiveRegionCode: '110101',
  qualificationRegionCode: 310100,
};

function issuePaths(body: unknown): string[] {
  const result = subsidyBuyerSchema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('subsidyBuyerSchema', () => {
  it('accepts a mainland ID card buyer', () => {
    expect(subsidyBuyerSchema.parse(buyer)).toEqual(buyer);
  });

  it('normalises whitespace and a lower-case x check digit', () => {
    const parsed = subsidyBuyerSchema.parse({ ...buyer, realName: ' 张三 ', idCardNumber: ' 11010519491231002x ' });
    expect(parsed.realName).toBe('张三');
    expect(parsed.idCardNumber).toBe('11010519491231002X');
  });

  it.each([
    ['ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC', 'H12345678'],
    ['ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC', 'm1234567890'],
    ['ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_TW', '12345678'],
  ] as const)('accepts %s number %s', (identityDocumentType, idCardNumber) => {
    expect(issuePaths({ ...buyer, identityDocumentType, idCardNumber })).toEqual([]);
  });

  it.each([
    ['an ID card with 17 digits', { idCardNumber: '11010519491231002' }],
    ['an ID card with X inside', { idCardNumber: '1101051949123X0029' }],
    ['an ID card with 19 characters', { idCardNumber: '110105194912310029X' }],
    ['a permit number under an ID card type', { idCardNumber: 'H12345678' }],
    ['a too-short permit', { identityDocumentType: 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_TW', idCardNumber: '1234567' }],
    ['a permit with punctuation', { identityDocumentType: 'ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC', idCardNumber: 'H1234-5678' }],
  ])('refuses %s at idCardNumber', (_name, change) => {
    expect(issuePaths({ ...buyer, ...change })).toEqual(['idCardNumber']);
  });

  it.each([
    ['realName', '张'],
    ['realName', '   '],
    ['realName', '名'.repeat(41)],
    ['identityDocumentType', 'ID_DOC_TYPE_PASSPORT'],
    ['phoneNumber', '1380013800'],
    ['phoneNumber', '23800138000'],
    ['phoneNumber', '+8613800138000'],
    ['phoneNumber', 13800138000],
    ['receiveRegionCode', 110101],
    ['receiveRegionCode', '11010'],
    ['qualificationRegionCode', '310100'],
    ['qualificationRegionCode', 99999],
    ['qualificationRegionCode', 1000000],
    ['qualificationRegionCode', 310100.5],
  ])('refuses %s = %j', (field, value) => {
    expect(issuePaths({ ...buyer, [field]: value })).toContain(field);
  });

  it.each(Object.keys(buyer))('requires %s', (field) => {
    const body: Record<string, unknown> = { ...buyer };
    delete body[field];
    expect(issuePaths(body)).toContain(field);
  });

  it('does not echo the ID number in its issues (personal data)', () => {
    const result = subsidyBuyerSchema.safeParse({ ...buyer, idCardNumber: '110105194912310' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain('110105194912310');
  });
});
