import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error';
import { computeOrderSubsidy, defaultSubsidyRule, unitSubsidyFen, type SubsidyRule } from './subsidy-rule';
import { thrownCode } from '../../../test-support/thrown-code';


const rule: SubsidyRule = defaultSubsidyRule;

describe('unitSubsidyFen', () => {
  it('applies the grade rate and rounds down to the fen', () => {
    expect(unitSubsidyFen(rule, 399_900, 'FIRST_LEVEL')).toBe(79_980); // 20 % of ¥3999.00
    expect(unitSubsidyFen(rule, 12_345, 'SECOND_LEVEL')).toBe(1_851); // 1851.75 → 1851
    expect(unitSubsidyFen(rule, 1, 'FIRST_LEVEL')).toBe(0); // 0.2 fen → 0
    expect(unitSubsidyFen(rule, 99_999, 'ENERGY_GRADE_UNKNOWN')).toBe(0);
  });

  it('caps each unit', () => {
    expect(unitSubsidyFen(rule, 1_500_000, 'FIRST_LEVEL')).toBe(200_000); // 20 % would be ¥3000
  });

  it('refuses a non-integer price', () => {
    expect(() => unitSubsidyFen(rule, 10.5, 'FIRST_LEVEL')).toThrow(/integer/);
  });

  it('never reaches the unit price, so every unit stays payable', () => {
    const anyRule = fc.record({
      basisPointsByGrade: fc.record({
        FIRST_LEVEL: fc.integer({ min: 0, max: 9999 }),
        SECOND_LEVEL: fc.integer({ min: 0, max: 9999 }),
        ENERGY_GRADE_UNKNOWN: fc.integer({ min: 0, max: 9999 }),
      }),
      capPerUnitFen: fc.integer({ min: 0, max: 10_000_000 }),
      maxUnitsPerOrder: fc.integer({ min: 1, max: 99 }),
    });
    fc.assert(
      fc.property(anyRule, fc.integer({ min: 1, max: 2_000_000_000 }), fc.constantFrom('FIRST_LEVEL', 'SECOND_LEVEL', 'ENERGY_GRADE_UNKNOWN' as const), (r, price, grade) => {
        const discount = unitSubsidyFen(r, price, grade);
        expect(Number.isInteger(discount)).toBe(true);
        expect(discount).toBeGreaterThanOrEqual(0);
        expect(discount).toBeLessThan(price);
        expect(discount).toBeLessThanOrEqual(r.capPerUnitFen);
      }),
    );
  });
});

describe('computeOrderSubsidy', () => {
  const fridge = { unitPriceFen: 500_000, quantity: 2, appliance: { energyGrade: 'FIRST_LEVEL' as const } };
  const cable = { unitPriceFen: 1_990, quantity: 3, appliance: null };

  it('discounts up to maxUnitsPerOrder units of the one appliance line', () => {
    expect(computeOrderSubsidy(rule, [cable, fridge])).toEqual({ lineDiscountsFen: [0, 100_000], totalDiscountFen: 100_000, subsidizedLineIndex: 1 });
    expect(computeOrderSubsidy({ ...rule, maxUnitsPerOrder: 5 }, [fridge]).totalDiscountFen).toBe(200_000);
  });

  it('refuses two discounted appliance lines (the sync carries one appliance per order), saying why', () => {
    const twoAppliances = () => computeOrderSubsidy(rule, [fridge, cable, { ...fridge, appliance: { energyGrade: 'SECOND_LEVEL' } }]);
    expect(thrownCode(twoAppliances)).toBe('SUBSIDY_NOT_ELIGIBLE');
    expect(twoAppliances).toThrow(/only one subsidised appliance/);
    try {
      twoAppliances();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details?.map((d) => d.path)).toEqual(['items.0', 'items.2']);
    }
  });

  it('an appliance whose grade gets 0 % is not a second subsidised line', () => {
    const unknownGrade = { unitPriceFen: 300_000, quantity: 1, appliance: { energyGrade: 'ENERGY_GRADE_UNKNOWN' as const } };
    expect(computeOrderSubsidy(rule, [unknownGrade, fridge])).toMatchObject({ lineDiscountsFen: [0, 100_000], subsidizedLineIndex: 1 });
  });

  it('refuses a claim on a cart with nothing to discount', () => {
    expect(thrownCode(() => computeOrderSubsidy(rule, [cable]))).toBe('SUBSIDY_NOT_ELIGIBLE');
  });
});
