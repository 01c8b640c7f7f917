import { describe, expect, it } from 'vitest';
import type { ProductRecord } from './product-repository';
import { listProducts } from './list-products';
import { priceCart } from './price-cart';
import { defaultSubsidyRule } from './subsidy-rule';
import { TEST_PRODUCT_ID, withoutTestProduct } from './test-product';
import { rejectedCode } from '../../../test-support/thrown-code';

const product = (id: string, priceFen: number): ProductRecord => ({ id, name: id, description: '', priceFen, imageUrl: null, appliance: null, active: true, fulfillment: 'courier' });
const records = [product('kettle', 89_00), product(TEST_PRODUCT_ID, 1)];
const catalog = {
  listActive: () => Promise.resolve(records),
  findByIds: (ids: readonly string[]) => Promise.resolve(records.filter((record) => ids.includes(record.id))),
};

describe('withoutTestProduct', () => {
  it('hides the 1-fen product from the catalog and refuses to price it, leaving the rest alone', async () => {
    const products = withoutTestProduct(catalog);
    expect((await listProducts({ products })).map((listed) => listed.id)).toEqual(['kettle']);
    expect(await rejectedCode(priceCart({ products }, { items: [{ productId: TEST_PRODUCT_ID, quantity: 1 }], claimSubsidy: false }, defaultSubsidyRule))).toBe('PRODUCT_UNAVAILABLE');
    expect((await priceCart({ products }, { items: [{ productId: 'kettle', quantity: 1 }], claimSubsidy: false }, defaultSubsidyRule)).payableFen).toBe(89_00);
    // Without the wrapper (the flag on) it is an ordinary product.
    expect((await listProducts({ products: catalog })).map((listed) => listed.id)).toContain(TEST_PRODUCT_ID);
  });
});
