import {
  apiPath,
  apiRoutes,
  errorBodySchema,
  type CreateOrderRequest,
  type ErrorBody,
  type OrderListResponse,
  type OrderPaymentResponse,
  type OrderResponse,
  type ProductListResponse,
  type SessionLogoutResponse,
  type SessionResponse,
} from '@checkout/protocol/contract';
import type { z } from 'zod';

export type ApiError = ErrorBody['error'];

/** Every answer either matches the contract's success schema or its error body; anything else throws. */
export type ApiResult<T> =
  | { ok: true; status: number; body: T; headers: Headers }
  | { ok: false; status: number; error: ApiError; headers: Headers };

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export class ContractViolation extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly text: string,
  ) {
    super(`${message} (HTTP ${String(status)}): ${text.slice(0, 500)}`);
    this.name = 'ContractViolation';
  }
}

/**
 * A typed client for the BFF's public API (packages/protocol/src/contract), the way the
 * mini-program calls it. Every response is checked against the zod schemas.
 */
export class ContractClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null = null,
  ) {}

  withToken(token: string): ContractClient {
    return new ContractClient(this.baseUrl, token);
  }

  createSession(code: string): Promise<ApiResult<SessionResponse>> {
    return this.call(apiRoutes.createSession.method, apiRoutes.createSession.path, apiRoutes.createSession.response, { code });
  }

  /** Ends every session of this client's user (all tokens issued so far). */
  logout(): Promise<ApiResult<SessionLogoutResponse>> {
    return this.call(apiRoutes.logout.method, apiRoutes.logout.path, apiRoutes.logout.response);
  }

  listProducts(): Promise<ApiResult<ProductListResponse>> {
    return this.call(apiRoutes.listProducts.method, apiRoutes.listProducts.path, apiRoutes.listProducts.response);
  }

  /** `body` is usually a CreateOrderRequest; tests pass extra fields (client prices) on purpose. */
  createOrder(
    body: CreateOrderRequest | Record<string, unknown>,
    options: { idempotencyKey?: string } = {},
  ): Promise<ApiResult<OrderPaymentResponse>> {
    const headers: Record<string, string> = {};
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    return this.call(apiRoutes.createOrder.method, apiRoutes.createOrder.path, apiRoutes.createOrder.response, body, headers);
  }

  payOrder(id: string): Promise<ApiResult<OrderPaymentResponse>> {
    return this.call(apiRoutes.payOrder.method, apiPath(apiRoutes.payOrder, { id }), apiRoutes.payOrder.response, {});
  }

  getOrder(id: string): Promise<ApiResult<OrderResponse>> {
    return this.call(apiRoutes.getOrder.method, apiPath(apiRoutes.getOrder, { id }), apiRoutes.getOrder.response);
  }

  listOrders(query: { limit?: number; cursor?: string } = {}): Promise<ApiResult<OrderListResponse>> {
    const params = { limit: query.limit === undefined ? undefined : String(query.limit), cursor: query.cursor };
    return this.call(apiRoutes.listOrders.method, apiPath(apiRoutes.listOrders, {}, params), apiRoutes.listOrders.response);
  }

  cancelOrder(id: string): Promise<ApiResult<OrderResponse>> {
    return this.call(apiRoutes.cancelOrder.method, apiPath(apiRoutes.cancelOrder, { id }), apiRoutes.cancelOrder.response, {});
  }

  /** Any request, unparsed: for hostile input and fuzzing. */
  async raw(
    method: string,
    path: string,
    options: { body?: string | Uint8Array; headers?: Record<string, string>; auth?: boolean } = {},
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.auth !== false && this.token !== null) headers.authorization = `Bearer ${this.token}`;
    // Concatenated, not resolved: a path like '//host/x' must stay a path on our server.
    if (!path.startsWith('/')) throw new Error(`path must start with '/': ${path}`);
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: options.body });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResult<z.infer<S>>> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.raw(method, path, {
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return parseApiResponse(response, schema);
  }
}

export function parseApiResponse<S extends z.ZodType>(response: RawResponse, schema: S): ApiResult<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    throw new ContractViolation('response is not JSON', response.status, response.text);
  }
  if (response.status >= 200 && response.status < 300) {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ContractViolation(`success body violates the contract: ${parsed.error.message}`, response.status, response.text);
    return { ok: true, status: response.status, body: parsed.data, headers: response.headers };
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) throw new ContractViolation(`error body violates the contract: ${parsed.error.message}`, response.status, response.text);
  return { ok: false, status: response.status, error: parsed.data.error, headers: response.headers };
}

/** The body of a successful result, or a thrown error naming the code the BFF answered. */
export function expectOk<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got HTTP ${String(result.status)} ${result.error.code}: ${result.error.message}`);
  return result.body;
}

/** The error of a failed result, or a thrown error when it unexpectedly succeeded. */
export function expectError<T>(result: ApiResult<T>): ApiError & { status: number } {
  if (result.ok) throw new Error(`expected an error, got HTTP ${String(result.status)}: ${JSON.stringify(result.body).slice(0, 300)}`);
  return { ...result.error, status: result.status };
}
