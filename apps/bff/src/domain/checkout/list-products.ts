import type { Product } from '@checkout/protocol/contract';
import type { ProductRepository } from './product-repository';

export async function listProducts(deps: { products: ProductRepository }): Promise<Product[]> {
  const rows = await deps.products.listActive();
  return rows.map(({ active: _active, fulfillment: _fulfillment, ...product }) => product);
}
