import { z } from 'zod';
import { fenSchema } from './money';

export const energyGrades = ['FIRST_LEVEL', 'SECOND_LEVEL', 'ENERGY_GRADE_UNKNOWN'] as const;
export const energyGradeSchema = z.enum(energyGrades);
export type EnergyGrade = z.infer<typeof energyGradeSchema>;

/** Present only on products eligible for the national appliance subsidy (国补). */
export const applianceSchema = z.object({
  /** WeChat Pay appliance category id, 1–17. */
  applianceId: z.number().check(z.int(), z.gte(1), z.lte(17)),
  brand: z.string().check(z.minLength(1)),
  energyGrade: energyGradeSchema,
});
export type Appliance = z.infer<typeof applianceSchema>;

export const productSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  description: z.string(),
  priceFen: fenSchema,
  /** An absolute http(s) URL, or a path starting with "/" on the BFF (clients resolve it against their API base); null = no picture. */
  imageUrl: z.nullable(z.string()),
  appliance: z.nullable(applianceSchema),
});
export type Product = z.infer<typeof productSchema>;

export const productListResponseSchema = z.object({
  products: z.array(productSchema),
});
export type ProductListResponse = z.infer<typeof productListResponseSchema>;
