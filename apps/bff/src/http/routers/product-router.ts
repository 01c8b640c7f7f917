import type { Router } from '@koa/router';
import type { ProductListResponse } from '@checkout/protocol/contract';
import { apiRoutes } from '@checkout/protocol/contract';
import type { CheckoutDeps } from '../../domain/checkout-deps';
import { listProducts } from '../../domain/checkout/list-products';
import type { AppState } from '../app-state';
import { mountRoute } from '../mount-route';

export function productRoutes(router: Router<AppState>, deps: { checkout: CheckoutDeps }): void {
  mountRoute(router, apiRoutes.listProducts, async (ctx) => {
    const body: ProductListResponse = { products: await listProducts(deps.checkout) };
    ctx.body = body;
  });
}
