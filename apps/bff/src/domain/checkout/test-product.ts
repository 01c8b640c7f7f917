import type { ProductRecord, ProductRepository } from './product-repository';

/** The 1-fen product the demo catalog seeds for trying the payment path end to end. */
export const TEST_PRODUCT_ID = 'test-1fen';

/**
 * The catalog without the test product: not listed, and ordering it answers PRODUCT_UNAVAILABLE
 * like any product that is not for sale. The seeded row stays, so turning the flag on needs no reseed.
 */
export function withoutTestProduct(products: ProductRepository): ProductRepository {
  const hide = (record: ProductRecord): ProductRecord => (record.id === TEST_PRODUCT_ID ? { ...record, active: false } : record);
  return {
    listActive: async () => (await products.listActive()).filter((record) => record.id !== TEST_PRODUCT_ID),
    findByIds: async (ids) => (await products.findByIds(ids)).map(hide),
  };
}
