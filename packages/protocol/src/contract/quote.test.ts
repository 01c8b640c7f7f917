import { describe, expect, it } from 'vitest';
import { quoteRequestSchema, quoteResponseSchema } from './quote';

describe('quote contract', () => {
  it('takes the same lines as an order and defaults to no subsidy claim', () => {
    expect(quoteRequestSchema.parse({ items: [{ productId: 'kettle', quantity: 2 }] })).toEqual({ items: [{ productId: 'kettle', quantity: 2 }], claimSubsidy: false });
    expect(quoteRequestSchema.safeParse({ items: [] }).success).toBe(false);
    expect(quoteRequestSchema.safeParse({ items: [{ productId: 'kettle', quantity: 100 }] }).success).toBe(false);
    expect(quoteRequestSchema.safeParse({ items: [{ productId: 'kettle', quantity: 1 }], claimSubsidy: 'yes' }).success).toBe(false);
  });

  it('answers integer fen only', () => {
    const line = { productId: 'kettle', name: '电热水壶', quantity: 2, unitPriceFen: 8900, lineTotalFen: 17800, subsidyDiscountFen: 0 };
    expect(quoteResponseSchema.safeParse({ quote: { items: [line], totalFen: 17800, subsidyDiscountFen: 0, payableFen: 17800 } }).success).toBe(true);
    expect(quoteResponseSchema.safeParse({ quote: { items: [line], totalFen: 178.5, subsidyDiscountFen: 0, payableFen: 17800 } }).success).toBe(false);
  });
});
