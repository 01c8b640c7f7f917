import { Router } from '@koa/router';
import type { ProductListResponse } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { listProducts } from '../../domain/list-products';
import type { AppState } from '../app-state';

export function productRouter(deps: { checkout: CheckoutDeps }): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/products', async (ctx) => {
    const body: ProductListResponse = { products: await listProducts(deps.checkout) };
    ctx.body = body;
  });
  return router;
}
