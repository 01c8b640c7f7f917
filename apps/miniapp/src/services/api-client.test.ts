import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pendingOrder, paymentParams, session } from '../../test/fixtures';
import { startScriptedServer, type ScriptedServer } from '../../test/scripted-server';
import { createApiClient, type ApiClient } from './api-client';
import { ApiError } from './api-error';
import type { KeyValueStore } from './key-value-store';
import { taroTransport } from './taro-transport';

const memoryStore = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, get: (key) => map.get(key) ?? null, set: (key, value) => void map.set(key, value), remove: (key) => void map.delete(key) };
};

describe('api client', () => {
  let server: ScriptedServer;
  let codes: number;
  let client: ApiClient;
  let store: ReturnType<typeof memoryStore>;

  beforeEach(async () => {
    server = await startScriptedServer();
    codes = 0;
    store = memoryStore();
    client = createApiClient({ baseUrl: server.url, transport: taroTransport, store, loginCode: () => Promise.resolve(`code-${++codes}`) });
  });
  afterEach(() => server.close());

  const authHeaders = () => server.requests.filter((r) => r.path.startsWith('/api/orders')).map((r) => r.headers.authorization);

  it('logs in once with the login code and sends the token as a bearer header', async () => {
    server.on('POST /api/session', session('tok-A'));
    server.on('GET /api/orders/ord_1', { status: 200, body: { order: pendingOrder() } });
    await client.getOrder('ord_1');
    await client.getOrder('ord_1');
    expect(server.requests.filter((r) => r.path === '/api/session').map((r) => r.body)).toEqual([{ code: 'code-1' }]);
    expect(authHeaders()).toEqual(['Bearer tok-A', 'Bearer tok-A']);
    expect(JSON.parse(store.map.get('checkout.session') ?? '{}')).toMatchObject({ token: 'tok-A' });
  });

  it('logout sends the held token to the server, forgets it, and the next call logs in again', async () => {
    server.on('POST /api/session', [session('tok-A'), session('tok-B')]);
    server.on('POST /api/session/logout', { status: 200, body: { loggedOut: true } });
    server.on('GET /api/orders/ord_1', { status: 200, body: { order: pendingOrder() } });
    await client.getOrder('ord_1');
    await client.logout();
    expect(server.requests.filter((r) => r.path === '/api/session/logout').map((r) => r.headers.authorization)).toEqual(['Bearer tok-A']);
    expect(store.map.has('checkout.session')).toBe(false);
    await client.getOrder('ord_1');
    expect(authHeaders()).toEqual(['Bearer tok-A', 'Bearer tok-B']);
    // The second logout ends tok-B; the third holds no token: no request, no login.
    await client.logout();
    await client.logout();
    expect(server.requests.filter((r) => r.path === '/api/session/logout')).toHaveLength(2);
    expect(codes).toBe(2);
  });

  it('logout of an already revoked token (401) is not an error', async () => {
    server.on('POST /api/session', session('tok-A'));
    server.on('POST /api/session/logout', { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'a valid session token is required' } } });
    server.on('GET /api/orders/ord_1', { status: 200, body: { order: pendingOrder() } });
    await client.getOrder('ord_1');
    await expect(client.logout()).resolves.toBeUndefined();
    expect(store.map.has('checkout.session')).toBe(false);
  });

  it('shares one login between concurrent calls', async () => {
    server.on('POST /api/session', session('tok-A'));
    server.on('GET /api/orders/ord_1', { status: 200, body: { order: pendingOrder() } });
    await Promise.all([client.getOrder('ord_1'), client.getOrder('ord_1'), client.getOrder('ord_1')]);
    expect(codes).toBe(1);
  });

  it('renews the session once on 401 and retries the call', async () => {
    server.on('POST /api/session', [session('tok-old'), session('tok-new')]);
    server.on('GET /api/orders/ord_1', (request) =>
      request.headers.authorization === 'Bearer tok-new'
        ? { status: 200, body: { order: pendingOrder() } }
        : { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'token expired' } } },
    );
    const order = await client.getOrder('ord_1');
    expect(order.id).toBe('ord_1');
    expect(authHeaders()).toEqual(['Bearer tok-old', 'Bearer tok-new']);
    expect(codes).toBe(2);
  });

  it('gives up after one renewal: a second 401 is an UNAUTHENTICATED error', async () => {
    server.on('POST /api/session', session());
    server.on('GET /api/orders/ord_1', { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'no' } } });
    await expect(client.getOrder('ord_1')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(codes).toBe(2);
    expect(authHeaders()).toHaveLength(2);
  });

  it('re-logs in when the stored token has expired', async () => {
    store.map.set('checkout.session', JSON.stringify({ token: 'stale', expiresAt: '2000-01-01T00:00:00.000Z' }));
    client = createApiClient({ baseUrl: server.url, transport: taroTransport, store, loginCode: () => Promise.resolve(`code-${++codes}`) });
    server.on('POST /api/session', session('fresh'));
    server.on('GET /api/orders/ord_1', { status: 200, body: { order: pendingOrder() } });
    await client.getOrder('ord_1');
    expect(authHeaders()).toEqual(['Bearer fresh']);
  });

  it('maps the BFF error body to an ApiError with its stable code and details', async () => {
    server.on('POST /api/session', session());
    server.on('POST /api/orders', {
      status: 422,
      body: { error: { code: 'SUBSIDY_NOT_ELIGIBLE', message: '该商品不支持国补', details: [{ path: 'subsidy', message: 'not eligible' }] } },
    });
    const error = await client.createOrder({ items: [{ productId: 'p', quantity: 1 }] }, 'key-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'SUBSIDY_NOT_ELIGIBLE', status: 422, message: '该商品不支持国补', details: [{ path: 'subsidy', message: 'not eligible' }] });
  });

  it('sends the Idempotency-Key header and the validated body when creating an order', async () => {
    server.on('POST /api/session', session());
    server.on('POST /api/orders', { status: 201, body: { order: pendingOrder(), payment: paymentParams } });
    const result = await client.createOrder({ items: [{ productId: 'kettle-1', quantity: 2 }] }, 'key-123');
    expect(result.payment).toEqual(paymentParams);
    const sent = server.requests.find((r) => r.path === '/api/orders');
    expect(sent?.headers['idempotency-key']).toBe('key-123');
    expect(sent?.body).toEqual({ items: [{ productId: 'kettle-1', quantity: 2 }] });
  });

  it('refuses an invalid order request before sending anything', async () => {
    await expect(client.createOrder({ items: [{ productId: 'kettle-1', quantity: 0 }] }, 'k')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(server.requests).toHaveLength(0);
  });

  it('rejects answers that break the contract instead of trusting them', async () => {
    server.on('POST /api/session', session());
    // paySign in lower case and a numeric timeStamp: what a buggy server might send.
    server.on('POST /api/orders/ord_1/pay', { status: 200, body: { order: pendingOrder(), payment: { ...paymentParams, timeStamp: 1764057600, paySign: 'abc' } } });
    const error = (await client.payOrder('ord_1').catch((caught: unknown) => caught)) as ApiError;
    expect(error.code).toBe('CONTRACT_VIOLATION');
    expect(error.details.map((detail) => detail.path)).toEqual(expect.arrayContaining(['payment.timeStamp', 'payment.paySign']));
  });

  it('treats a non-JSON error page as HTTP_ERROR', async () => {
    server.on('GET /api/products', { status: 502, body: null, raw: '<html>Bad Gateway</html>' });
    await expect(client.listProducts()).rejects.toMatchObject({ code: 'HTTP_ERROR', status: 502 });
  });

  it('loads the catalog without logging in', async () => {
    server.on('GET /api/products', { status: 200, body: { products: [] } });
    await expect(client.listProducts()).resolves.toEqual([]);
    expect(codes).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('reports NETWORK_ERROR when nothing answers', async () => {
    const url = server.url;
    await server.close();
    const offline = createApiClient({ baseUrl: url, transport: taroTransport, store, loginCode: () => Promise.resolve('c') });
    await expect(offline.listProducts()).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: null });
    server = await startScriptedServer();
  });

  it('passes cursor and limit when listing orders', async () => {
    server.on('POST /api/session', session());
    server.on('GET /api/orders', { status: 200, body: { orders: [pendingOrder()], nextCursor: null } });
    await client.listOrders({ limit: 5, cursor: 'abc/=' });
    expect(server.requests.at(-1)?.path).toBe('/api/orders?limit=5&cursor=abc%2F%3D');
  });
});
