import type { EnergyGrade } from '@checkout/protocol/contract';
import { DomainError } from '../domain-error';

/**
 * The national-subsidy (国补) discount rule, from config: a share of the unit price by energy
 * grade (basis points, 2000 = 20 %), capped per unit, on at most `maxUnitsPerOrder` units of the
 * one subsidised line. Integer arithmetic only.
 */
export interface SubsidyRule {
  /** Below 10000 so every unit keeps a payable amount of at least 1 fen. */
  basisPointsByGrade: Readonly<Record<EnergyGrade, number>>;
  capPerUnitFen: number;
  /** Units of the subsidised line that get the discount (the 2025 scheme: one per order). */
  maxUnitsPerOrder: number;
}

/** The 2025 national scheme: grade 1 → 20 %, grade 2 → 15 %, capped at ¥2000 per unit, one unit. */
export const defaultSubsidyRule: SubsidyRule = {
  basisPointsByGrade: { FIRST_LEVEL: 2000, SECOND_LEVEL: 1500, ENERGY_GRADE_UNKNOWN: 0 },
  capPerUnitFen: 200_000,
  maxUnitsPerOrder: 1,
};

export interface SubsidyLineInput {
  unitPriceFen: number;
  quantity: number;
  /** Null for products that are not subsidy-eligible appliances. */
  appliance: { energyGrade: EnergyGrade } | null;
}

export interface OrderSubsidy {
  /** Same order as the input lines; 0 for lines without a discount. */
  lineDiscountsFen: number[];
  totalDiscountFen: number;
  /** Index of the one discounted line. */
  subsidizedLineIndex: number;
}

/**
 * Discount of one unit: floor(unit price × rate / 10000), then the cap. Always rounded down so
 * the merchant never grants more than the rule says.
 */
export function unitSubsidyFen(rule: SubsidyRule, unitPriceFen: number, energyGrade: EnergyGrade): number {
  if (!Number.isSafeInteger(unitPriceFen) || unitPriceFen < 0) throw new Error(`unit price must be a non-negative integer of fen, got ${unitPriceFen}`);
  const raw = Math.floor((unitPriceFen * rule.basisPointsByGrade[energyGrade]) / 10_000);
  return Math.max(0, Math.min(raw, rule.capPerUnitFen));
}

/**
 * The subsidy of a whole order when the buyer claims it. Pure. The gov sync
 * (/v3/gov/subsidy/transactions/sync) carries one appliance per out_trade_no, so exactly one line
 * may be discounted: none or several → SUBSIDY_NOT_ELIGIBLE with a message saying which.
 */
export function computeOrderSubsidy(rule: SubsidyRule, lines: readonly SubsidyLineInput[]): OrderSubsidy {
  const lineDiscountsFen = lines.map((line) =>
    line.appliance ? unitSubsidyFen(rule, line.unitPriceFen, line.appliance.energyGrade) * Math.min(line.quantity, rule.maxUnitsPerOrder) : 0,
  );
  const discounted = lineDiscountsFen.flatMap((fen, index) => (fen > 0 ? [index] : []));
  if (discounted.length > 1) {
    throw new DomainError(
      'SUBSIDY_NOT_ELIGIBLE',
      'a national-subsidy order may hold only one subsidised appliance: order the other appliances separately',
      discounted.map((index) => ({ path: `items.${index}`, message: 'one subsidised appliance per order' })),
    );
  }
  const [subsidizedLineIndex] = discounted;
  if (subsidizedLineIndex === undefined) {
    throw new DomainError('SUBSIDY_NOT_ELIGIBLE', 'the cart holds no product eligible for the national subsidy', [{ path: 'subsidy', message: 'no eligible appliance in the cart' }]);
  }
  return { lineDiscountsFen, totalDiscountFen: lineDiscountsFen.reduce((sum, fen) => sum + fen, 0), subsidizedLineIndex };
}
