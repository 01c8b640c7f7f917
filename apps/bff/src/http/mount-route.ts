import type { Router, RouterMiddleware } from '@koa/router';
import type { ApiRoute } from '@checkout/protocol/contract';
import type { AppState } from './app-state';

/** Mounts a contract route with the method and path the contract gives it (never spelled here). */
export function mountRoute(router: Router<AppState>, route: Pick<ApiRoute, 'method' | 'path'>, ...middleware: RouterMiddleware<AppState>[]): void {
  if (route.method === 'GET') router.get(route.path, ...middleware);
  else router.post(route.path, ...middleware);
}
