import type { z } from 'zod';
import { productListResponseSchema } from './catalog';
import { createOrderRequestSchema, orderListQuerySchema, orderListResponseSchema, orderPaymentResponseSchema, orderResponseSchema } from './order';
import { quoteRequestSchema, quoteResponseSchema } from './quote';
import { sessionLogoutResponseSchema, sessionRequestSchema, sessionResponseSchema } from './session';

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** Koa-style template: `:id` is a path parameter. */
  path: string;
  /** The JSON body (POST) or the query string (GET) it accepts; null when none. */
  request: z.ZodType | null;
  response: z.ZodType;
  /** HTTP status of the success answer. */
  status: 200 | 201;
  /** Needs `Authorization: Bearer <session token>`. */
  auth: boolean;
}

/**
 * Every endpoint of the mini-program ⇄ BFF API, written once: the BFF mounts its routers on these
 * paths, and the mini-program's client and the test clients build their requests from them.
 */
export const apiRoutes = {
  createSession: { method: 'POST', path: '/api/session', request: sessionRequestSchema, response: sessionResponseSchema, status: 200, auth: false },
  logout: { method: 'POST', path: '/api/session/logout', request: null, response: sessionLogoutResponseSchema, status: 200, auth: true },
  listProducts: { method: 'GET', path: '/api/products', request: null, response: productListResponseSchema, status: 200, auth: false },
  /** Read-only pricing of a cart (public, like the catalog): the amounts the cart page shows. */
  quoteOrder: { method: 'POST', path: '/api/orders/quote', request: quoteRequestSchema, response: quoteResponseSchema, status: 200, auth: false },
  createOrder: { method: 'POST', path: '/api/orders', request: createOrderRequestSchema, response: orderPaymentResponseSchema, status: 201, auth: true },
  listOrders: { method: 'GET', path: '/api/orders', request: orderListQuerySchema, response: orderListResponseSchema, status: 200, auth: true },
  getOrder: { method: 'GET', path: '/api/orders/:id', request: null, response: orderResponseSchema, status: 200, auth: true },
  payOrder: { method: 'POST', path: '/api/orders/:id/pay', request: null, response: orderPaymentResponseSchema, status: 200, auth: true },
  cancelOrder: { method: 'POST', path: '/api/orders/:id/cancel', request: null, response: orderResponseSchema, status: 200, auth: true },
} as const satisfies Record<string, ApiRoute>;

export type ApiRouteName = keyof typeof apiRoutes;

type PathParams<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/**
 * The concrete path of a route, each parameter and query value URI-encoded
 * (`apiPath(apiRoutes.getOrder, { id })`); undefined query values are left out. No URLSearchParams:
 * the mini-program runtime does not have it.
 */
export function apiPath<Path extends string>(route: { path: Path }, params: PathParams<Path>, query: Readonly<Record<string, string | undefined>> = {}): string {
  const values = params as Record<string, string>;
  const path = route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${route.path}: missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const search = Object.entries(query)
    .flatMap(([name, value]) => (value === undefined ? [] : [`${encodeURIComponent(name)}=${encodeURIComponent(value)}`]))
    .join('&');
  return search ? `${path}?${search}` : path;
}
