import { z } from 'zod';
import { fenSchema } from './money';
import { orderLinesRequestSchema } from './order';

/** What the cart would cost, asked before the buyer pays: priced by the BFF exactly as an order. */
export const quoteRequestSchema = z.object({
  items: orderLinesRequestSchema,
  /** Price as if the buyer claims the national subsidy (the buyer's details come with the order). */
  claimSubsidy: z._default(z.boolean(), false),
});
export type QuoteRequest = z.input<typeof quoteRequestSchema>;

export const quoteLineSchema = z.object({
  productId: z.string(),
  name: z.string(),
  quantity: z.number().check(z.int(), z.gt(0)),
  unitPriceFen: fenSchema,
  /** unit price × quantity, before the subsidy. */
  lineTotalFen: fenSchema,
  subsidyDiscountFen: fenSchema,
});
export type QuoteLine = z.infer<typeof quoteLineSchema>;

export const quoteSchema = z.object({
  items: z.array(quoteLineSchema),
  totalFen: fenSchema,
  subsidyDiscountFen: fenSchema,
  /** What the order would charge (its total_fee). */
  payableFen: fenSchema,
});
export type Quote = z.infer<typeof quoteSchema>;

export const quoteResponseSchema = z.object({ quote: quoteSchema });
export type QuoteResponse = z.infer<typeof quoteResponseSchema>;
