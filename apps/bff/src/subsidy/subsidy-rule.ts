import { z } from 'zod';
import type { EnergyGrade } from '@checkout/protocol/contract';
import { SubsidyError } from './subsidy-error';

/**
 * The merchant's national-subsidy (国补) rule, from config. Rates are basis points of the unit
 * price (2000 = 20 %), by energy grade; each subsidised unit's discount is capped. The parsed
 * value also satisfies the domain's `SubsidyRule` port (same field names).
 * The 2025 national scheme is the default: grade 1 → 20 %, grade 2 → 15 %, capped at ¥2000 per unit,
 * one unit per order (the sync API carries one appliance per out_trade_no).
 */
export const subsidyRuleSchema = z.object({
  /** Below 10000 so every unit keeps a payable amount of at least 1 fen. */
  basisPointsByGrade: z.object({
    FIRST_LEVEL: z.number().int().min(0).max(9999),
    SECOND_LEVEL: z.number().int().min(0).max(9999),
    ENERGY_GRADE_UNKNOWN: z.number().int().min(0).max(9999),
  }),
  capPerUnitFen: z.number().int().min(0),
  /** How many units of the subsidised line get the discount. */
  maxUnitsPerOrder: z.number().int().min(1).max(99),
});
export type SubsidyRule = z.infer<typeof subsidyRuleSchema>;

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
  /** Index of the one discounted line, or null when nothing is discounted. */
  subsidizedLineIndex: number | null;
}

/**
 * Discount of one unit: floor(unit price × rate / 10000), then the cap. Rounding is always down
 * (to the fen below) so the merchant never grants more than the rule says and the buyer is never
 * charged a fraction; integer arithmetic only (price × rate stays far below 2^53).
 */
export function unitSubsidyFen(rule: SubsidyRule, unitPriceFen: number, energyGrade: EnergyGrade): number {
  if (!Number.isSafeInteger(unitPriceFen) || unitPriceFen < 0) {
    throw new SubsidyError('SUBSIDY_RULE_INVALID', `unit price must be a non-negative integer of fen, got ${unitPriceFen}`);
  }
  const raw = Math.floor((unitPriceFen * rule.basisPointsByGrade[energyGrade]) / 10_000);
  return Math.min(raw, rule.capPerUnitFen);
}

/**
 * The subsidy of a whole order when the buyer claims it. Pure: no clock, no I/O.
 * Throws SUBSIDY_ONE_APPLIANCE_PER_ORDER when more than one line would be discounted, and
 * SUBSIDY_NOT_ELIGIBLE when none would (claiming a subsidy on a cart without one is a client bug).
 */
export function computeOrderSubsidy(rule: SubsidyRule, lines: readonly SubsidyLineInput[]): OrderSubsidy {
  const lineDiscountsFen = lines.map((line) => {
    if (!line.appliance) return 0;
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new SubsidyError('SUBSIDY_RULE_INVALID', `quantity must be a positive integer, got ${line.quantity}`);
    }
    return unitSubsidyFen(rule, line.unitPriceFen, line.appliance.energyGrade) * Math.min(line.quantity, rule.maxUnitsPerOrder);
  });
  const discounted = lineDiscountsFen.flatMap((fen, index) => (fen > 0 ? [index] : []));
  if (discounted.length > 1) {
    throw new SubsidyError('SUBSIDY_ONE_APPLIANCE_PER_ORDER', 'a subsidy order may hold only one subsidised appliance line');
  }
  if (discounted.length === 0) {
    throw new SubsidyError('SUBSIDY_NOT_ELIGIBLE', 'no item in this order is eligible for the national subsidy');
  }
  const subsidizedLineIndex = discounted[0] ?? null;
  return {
    lineDiscountsFen,
    totalDiscountFen: lineDiscountsFen.reduce((sum, fen) => sum + fen, 0),
    subsidizedLineIndex,
  };
}
