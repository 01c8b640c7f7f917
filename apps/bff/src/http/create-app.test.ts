import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, productListResponseSchema } from '@checkout/protocol/contract';
import { buildSignedNotification, devMerchant } from '@checkout/protocol/testing';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';

describe('app-wide behaviour', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ RATE_LIMIT_MAX: '20', CORS_ORIGINS: 'http://127.0.0.1:3200' });
  });
  afterAll(() => stack.close());

  it('serves the seeded catalog with prices in fen and appliance data', async () => {
    const { products } = productListResponseSchema.parse(await (await stack.api('/api/products')).json());
    expect(products.length).toBeGreaterThanOrEqual(4);
    expect(products.some((product) => product.appliance?.energyGrade === 'FIRST_LEVEL')).toBe(true);
    expect(products.some((product) => product.appliance === null)).toBe(true);
  });

  it('tags every response and log line with a request id', async () => {
    const response = await stack.api('/healthz', { headers: { 'x-request-id': 'req-test-0001' } });
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toBe('req-test-0001');
    expect(stack.logLines.some((line) => line.includes('"reqId":"req-test-0001"'))).toBe(true);
  });

  it('logs the status the client got, also when a route threw (401 here, not Koa’s default 404)', async () => {
    const response = await stack.api('/api/orders', { headers: { 'x-request-id': 'req-test-0401' } });
    expect(response.status).toBe(401);
    const completion = stack.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.reqId === 'req-test-0401' && line.msg === 'request completed');
    expect(completion).toMatchObject({ method: 'GET', path: '/api/orders', status: 401 });
  });

  it('answers CORS only for configured origins', async () => {
    const allowed = await stack.api('/api/orders', { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:3200', 'access-control-request-method': 'POST' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3200');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const other = await stack.api('/api/products', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown routes with NOT_FOUND', async () => {
    const response = await stack.api('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(errorBodySchema.parse(await response.json()).error.code).toBe('NOT_FOUND');
  });

  it('rate-limits the public API with RATE_LIMITED and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1) statuses.push((await stack.api('/api/products')).status);
    expect(statuses).toContain(429);
    const limited = await stack.api('/api/products');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(errorBodySchema.parse(await limited.json()).error.code).toBe('RATE_LIMITED');
    // Health probes and WeChat Pay's notify are not limited.
    expect((await stack.api('/healthz')).status).toBe(200);
  });
});

describe('when the database is gone', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('reports not ready, hides internal errors behind a generic 500 and FAIL-acks notifications', async () => {
    const token = await stack.login();
    expect((await stack.api('/readyz')).status).toBe(200);
    await stack.bff.database.close();
    expect((await stack.api('/readyz')).status).toBe(503);
    expect((await stack.api('/healthz')).status).toBe(200);

    const internal = await stack.api('/api/orders', { token });
    expect(internal.status).toBe(500);
    expect(errorBodySchema.parse(await internal.json()).error).toEqual({ code: 'INTERNAL_ERROR', message: 'internal error' });
    expect(stack.logLines.some((line) => line.includes('"level":50') && line.includes('unhandled error'))).toBe(true);
    expect(stack.logLines.some((line) => line.includes('"level":50') && line.includes('"status":500') && line.includes('request failed'))).toBe(true);

    // WeChat Pay must retry later: FAIL ack, never SUCCESS, when the notification cannot be stored.
    const notify = await stack.api('/wxpay/notify', { method: 'POST', body: buildSignedNotification({}, { apiKey: devMerchant.apiKey, signType: 'MD5' }) });
    expect(notify.status).toBe(500);
    expect(await notify.text()).toContain('<return_code>FAIL</return_code>');
  });
});
