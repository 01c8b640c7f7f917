import type { Fulfillment, Product } from '@checkout/protocol/contract';

export interface ProductRecord extends Product {
  active: boolean;
  fulfillment: Fulfillment;
}

export interface ProductRepository {
  listActive(): Promise<ProductRecord[]>;
  findByIds(ids: readonly string[]): Promise<ProductRecord[]>;
}
