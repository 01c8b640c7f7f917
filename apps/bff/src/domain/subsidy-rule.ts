import type { EnergyGrade } from '@checkout/protocol/contract';

/**
 * The national-subsidy (国补) discount rule: a share of the unit price by energy grade, capped per
 * unit. Basis points keep the arithmetic in integers.
 */
export interface SubsidyRule {
  basisPointsByGrade: Readonly<Record<EnergyGrade, number>>;
  capPerUnitFen: number;
  /** Units of the subsidised line that get the discount (the scheme subsidises one per order). */
  maxUnitsPerOrder: number;
}

/**
 * Discount for one order line, in fen, rounded down: per unit, then capped, for at most
 * maxUnitsPerOrder units. Same arithmetic as subsidy/subsidy-rule.ts (the gov sync side).
 */
export function subsidyDiscountForLine(rule: SubsidyRule, unitPriceFen: number, quantity: number, grade: EnergyGrade): number {
  const perUnit = Math.min(Math.floor((unitPriceFen * rule.basisPointsByGrade[grade]) / 10_000), rule.capPerUnitFen);
  return Math.max(0, perUnit) * Math.min(quantity, rule.maxUnitsPerOrder);
}
