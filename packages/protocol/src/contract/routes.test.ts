import { describe, expect, it } from 'vitest';
import { adminRoutes } from './admin';
import { apiPath, apiRoutes } from './routes';

describe('apiRoutes', () => {
  it('builds concrete paths with each parameter URI-encoded, and a query string when given', () => {
    expect(apiPath(apiRoutes.getOrder, { id: 'o/1 ?' })).toBe('/api/orders/o%2F1%20%3F');
    expect(apiPath(apiRoutes.cancelOrder, { id: 'abc' })).toBe('/api/orders/abc/cancel');
    expect(apiPath(apiRoutes.listOrders, {}, { limit: '20', cursor: 'a+b/c' })).toBe('/api/orders?limit=20&cursor=a%2Bb%2Fc');
    expect(apiPath(apiRoutes.listOrders, {}, { cursor: undefined })).toBe('/api/orders');
  });

  it('a missing parameter is an error, never a literal ":id" in a request', () => {
    expect(() => apiPath(apiRoutes.payOrder, {} as { id: string })).toThrow('missing path parameter id');
  });

  it('each method + path is declared once', () => {
    const keys = Object.values(apiRoutes).map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('adminRoutes', () => {
  it('each method + path is declared once, none under /api (no buyer session, no CORS), none also a buyer route', () => {
    const admin = Object.values(adminRoutes).map((route) => `${route.method} ${route.path}`);
    expect(new Set(admin).size).toBe(admin.length);
    expect(Object.values(adminRoutes).every((route) => route.path.startsWith('/admin/'))).toBe(true);
    expect(apiPath(adminRoutes.refundOrder, { id: 'o 1' })).toBe('/admin/orders/o%201/refunds');
  });
});
