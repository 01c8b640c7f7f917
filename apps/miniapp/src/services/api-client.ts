import {
  apiPath,
  apiRoutes,
  errorBodySchema,
  type CreateOrderRequest,
  type Order,
  type OrderListResponse,
  type OrderPaymentResponse,
  type Product,
  type Quote,
  type QuoteRequest,
  type SessionResponse,
} from '@checkout/protocol/contract';
import { z } from 'zod/mini';
import { ApiError } from './api-error';
import type { HttpMethod, HttpTransport } from './http-transport';
import type { KeyValueStore } from './key-value-store';
import { createSession, type Session } from './session';

export interface ApiClientDeps {
  /** '' = same origin. */
  baseUrl: string;
  transport: HttpTransport;
  store: KeyValueStore;
  loginCode: () => Promise<string>;
  now?: () => number;
}

export interface ApiClient {
  listProducts(): Promise<Product[]>;
  /** What these lines would cost, priced by the BFF as an order would be (no session needed). */
  quoteOrder(request: QuoteRequest): Promise<Quote>;
  /** The key makes a retried submit return the first attempt's order instead of a second one. */
  createOrder(request: CreateOrderRequest, idempotencyKey: string): Promise<OrderPaymentResponse>;
  /** New requestPayment params for a pending order ("pay again"). */
  payOrder(orderId: string): Promise<OrderPaymentResponse>;
  getOrder(orderId: string): Promise<Order>;
  listOrders(query?: { limit?: number; cursor?: string | null }): Promise<OrderListResponse>;
  cancelOrder(orderId: string): Promise<Order>;
  /** Ends the buyer's sessions on the server (every device) and forgets the token here. */
  logout(): Promise<void>;
  session: Session;
}

// core.$ZodType: both the contract's schemas and zod/mini ones satisfy it.
interface CallOptions<S extends z.core.$ZodType> {
  method: HttpMethod;
  path: string;
  schema: S;
  body?: unknown;
  headers?: Record<string, string>;
  auth: boolean;
}

export function createApiClient({ baseUrl, transport, store, loginCode, now }: ApiClientDeps): ApiClient {
  const send = async <S extends z.core.$ZodType>(options: CallOptions<S>, token: string | null): Promise<{ status: number; value?: z.infer<S> }> => {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await transport({ url: `${baseUrl}${options.path}`, method: options.method, headers, body: options.body });
    } catch (cause) {
      throw new ApiError('NETWORK_ERROR', '网络不可用，请检查网络后重试', { cause });
    }
    const { statusCode, data } = response;
    if (statusCode === 401 && options.auth) return { status: 401 };
    if (statusCode < 200 || statusCode >= 300) throw errorFromResponse(statusCode, data);
    const parsed = z.safeParse(options.schema, data);
    if (!parsed.success) {
      throw new ApiError('CONTRACT_VIOLATION', `服务器返回了无法识别的数据 (${options.method} ${options.path})`, {
        status: statusCode,
        details: parsed.error.issues.slice(0, 5).map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    }
    return { status: statusCode, value: parsed.data };
  };

  const exchange = async (code: string): Promise<SessionResponse> => {
    const result = await send({ method: apiRoutes.createSession.method, path: apiRoutes.createSession.path, schema: apiRoutes.createSession.response, body: { code }, auth: false }, null);
    return result.value as SessionResponse;
  };

  const session = createSession({ store, loginCode, exchange, ...(now ? { now } : {}) });

  /** Authenticated call; a 401 renews the session once and retries, a second 401 is an error. */
  const call = async <S extends z.core.$ZodType>(options: Omit<CallOptions<S>, 'auth'>): Promise<z.infer<S>> => {
    const first = await send({ ...options, auth: true }, await session.token());
    if (first.status !== 401) return first.value as z.infer<S>;
    const second = await send({ ...options, auth: false }, await session.renew());
    return second.value as z.infer<S>;
  };

  return {
    session,
    async listProducts() {
      // The catalog is public: browsing must work before (and without) a login.
      const result = await send({ method: apiRoutes.listProducts.method, path: apiRoutes.listProducts.path, schema: apiRoutes.listProducts.response, auth: false }, null);
      return (result.value as { products: Product[] }).products;
    },
    async quoteOrder(request) {
      const result = await send({ method: apiRoutes.quoteOrder.method, path: apiRoutes.quoteOrder.path, schema: apiRoutes.quoteOrder.response, body: request, auth: false }, null);
      return (result.value as { quote: Quote }).quote;
    },
    createOrder(request, idempotencyKey) {
      const checked = apiRoutes.createOrder.request.safeParse(request);
      if (!checked.success) {
        return Promise.reject(
          new ApiError('INVALID_REQUEST', '订单信息不完整', {
            details: checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
          }),
        );
      }
      return call({
        method: apiRoutes.createOrder.method,
        path: apiRoutes.createOrder.path,
        schema: apiRoutes.createOrder.response,
        body: checked.data,
        headers: { 'Idempotency-Key': idempotencyKey },
      });
    },
    payOrder(orderId) {
      return call({ method: apiRoutes.payOrder.method, path: apiPath(apiRoutes.payOrder, { id: orderId }), schema: apiRoutes.payOrder.response, body: {} });
    },
    async getOrder(orderId) {
      const body = await call({ method: apiRoutes.getOrder.method, path: apiPath(apiRoutes.getOrder, { id: orderId }), schema: apiRoutes.getOrder.response });
      return body.order;
    },
    listOrders(query = {}) {
      const params = { limit: String(query.limit ?? 20), cursor: query.cursor || undefined };
      return call({ method: apiRoutes.listOrders.method, path: apiPath(apiRoutes.listOrders, {}, params), schema: apiRoutes.listOrders.response });
    },
    async cancelOrder(orderId) {
      const body = await call({ method: apiRoutes.cancelOrder.method, path: apiPath(apiRoutes.cancelOrder, { id: orderId }), schema: apiRoutes.cancelOrder.response, body: {} });
      return body.order;
    },
    async logout() {
      const token = session.held();
      // Forgotten first: even if the request fails, this device is logged out.
      session.clear();
      // A 401 means the token was already revoked or expired: nothing left to end.
      if (token) await send({ method: apiRoutes.logout.method, path: apiRoutes.logout.path, schema: apiRoutes.logout.response, auth: true }, token);
    },
  };
}

function errorFromResponse(statusCode: number, data: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(data);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(code, message, { status: statusCode, details: details ?? [] });
  }
  return new ApiError('HTTP_ERROR', `服务暂时不可用 (HTTP ${statusCode})`, { status: statusCode });
}
