import { describe, expect, it } from 'vitest';
import { defaultSubsidyRule } from './subsidy-rule';
import { priceCart } from './price-cart';
import { unitWorld } from '../../../test-support/in-memory/unit-deps';
import { rejectedCode } from '../../../test-support/thrown-code';

describe('priceCart', () => {
  const { deps } = unitWorld();

  it('prices from the catalog only, in integer fen, line by line', async () => {
    const cart = await priceCart(deps, { items: [{ productId: 'tea', quantity: 3 }], claimSubsidy: false }, defaultSubsidyRule);
    expect(cart).toMatchObject({ totalFen: 4_500, subsidyDiscountFen: 0, payableFen: 4_500 });
    expect(cart.items).toEqual([expect.objectContaining({ lineNo: 1, productId: 'tea', quantity: 3, unitPriceFen: 1_500, subsidyDiscountFen: 0 })]);
  });

  it('applies the subsidy only when the buyer claims it: 20 % of one grade-1 unit', async () => {
    const request = { items: [{ productId: 'fridge', quantity: 2 }, { productId: 'tea', quantity: 1 }], claimSubsidy: false };
    expect((await priceCart(deps, request, defaultSubsidyRule)).subsidyDiscountFen).toBe(0);
    const claimed = await priceCart(deps, { ...request, claimSubsidy: true }, defaultSubsidyRule);
    expect(claimed).toMatchObject({ totalFen: 601_500, subsidyDiscountFen: 60_000, payableFen: 541_500 });
    expect(claimed.items.map((item) => item.subsidyDiscountFen)).toEqual([60_000, 0]);
    expect(claimed.items[0]).toMatchObject({ applianceId: 1, brand: '海尔', energyGrade: 'FIRST_LEVEL' });
  });

  it('unknown and retired products are refused with the failing line named', async () => {
    const unknown = priceCart(deps, { items: [{ productId: 'tea', quantity: 1 }, { productId: 'nope', quantity: 1 }], claimSubsidy: false }, defaultSubsidyRule);
    expect(await rejectedCode(unknown)).toBe('PRODUCT_NOT_FOUND');
    await expect(unknown).rejects.toMatchObject({ details: [{ path: 'items.1.productId' }] });
    expect(await rejectedCode(priceCart(deps, { items: [{ productId: 'retired', quantity: 1 }], claimSubsidy: false }, defaultSubsidyRule))).toBe('PRODUCT_UNAVAILABLE');
  });

  it('refuses a total above what total_fee can carry', async () => {
    expect(await rejectedCode(priceCart(deps, { items: Array.from({ length: 80 }, () => ({ productId: 'fridge', quantity: 99 })), claimSubsidy: false }, defaultSubsidyRule))).toBe('VALIDATION_FAILED');
  });
});
