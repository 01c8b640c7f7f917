import type { Router } from '@koa/router';
import type { ProductListResponse } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { listProducts } from '../../domain/checkout/list-products';
import type { AppState } from '../app-state';

export function productRoutes(router: Router<AppState>, deps: { checkout: CheckoutDeps }): void {
  router.get('/api/products', async (ctx) => {
    const body: ProductListResponse = { products: await listProducts(deps.checkout) };
    ctx.body = body;
  });
}
