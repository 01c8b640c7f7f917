import type { EnergyGrade } from '@checkout/protocol/contract';

/**
 * The national-subsidy (国补) discount rule: a share of the unit price by energy grade, capped per
 * unit. Basis points keep the arithmetic in integers.
 */
export interface SubsidyRule {
  basisPointsByGrade: Readonly<Record<EnergyGrade, number>>;
  capPerUnitFen: number;
}

/** Discount for one order line (all units), in fen, rounded down. */
export function subsidyDiscountForLine(rule: SubsidyRule, unitPriceFen: number, quantity: number, grade: EnergyGrade): number {
  const perUnit = Math.min(Math.floor((unitPriceFen * rule.basisPointsByGrade[grade]) / 10_000), rule.capPerUnitFen);
  return Math.max(0, perUnit) * quantity;
}
