import type { Product } from '@checkout/protocol/contract';

export interface ProductRecord extends Product {
  active: boolean;
}

export interface ProductRepository {
  listActive(): Promise<ProductRecord[]>;
  findByIds(ids: readonly string[]): Promise<ProductRecord[]>;
}
