import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, SuiteSummary, type Stack } from '@checkout/test-harness';

const limit = 5;

/** The public API's rate limit (RATE_LIMIT_MAX per window per client IP) and ways around it. */
describe(`rate limit on the public API (${String(limit)} per window)`, () => {
  const summary = new SuiteSummary('reliability:rate-limit');
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ name: 'rate-limit', bffEnv: { RATE_LIMIT_MAX: String(limit), RATE_LIMIT_WINDOW_MS: String(3600_000) } });
  });
  afterAll(async () => {
    summary.print();
    await stack?.close();
  });

  it('refuses the request past the limit with 429 RATE_LIMITED and Retry-After; notifications are never limited', async () => {
    summary.try(`${String(limit + 2)} catalog reads, then a notification`);
    const statuses: number[] = [];
    for (let i = 0; i < limit + 2; i += 1) statuses.push((await stack.api.raw('GET', '/api/products')).status);
    expect(statuses.slice(0, limit).every((s) => s === 200)).toBe(true);
    const over = await stack.api.raw('GET', '/api/products');
    expect(over.status).toBe(429);
    expect(JSON.parse(over.text)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // WeChat Pay's callbacks are not the public API: a limited client IP must not lose payments.
    const notify = await stack.api.raw('POST', '/wxpay/notify', { body: '<xml></xml>', headers: { 'content-type': 'text/xml' } });
    expect(notify.status).not.toBe(429);
    summary.hold('429 RATE_LIMITED with Retry-After past the limit; /wxpay/notify not limited');
  });

  it('cannot be bypassed by changing the case of the path (the router matches case-insensitively)', async () => {
    summary.try('the same routes as /API/…, /Api/…');
    for (let i = 0; i < limit + 1; i += 1) await stack.api.raw('GET', '/api/products');
    const bypass = await Promise.all(['/API/products', '/Api/products', '/aPi/products', '/API/session'].map(async (path) => `${path} → ${String((await stack.api.raw(path === '/API/session' ? 'POST' : 'GET', path, { body: path === '/API/session' ? '{"code":"x"}' : undefined, headers: { 'content-type': 'application/json' } })).status)}`));
    expect(bypass.filter((line) => !line.endsWith('429') && !line.endsWith('404'))).toEqual([]);
    summary.hold('case variants limited too');
  });

  it('cannot be reset by a client-written X-Forwarded-For', async () => {
    summary.try('spoofed X-Forwarded-For / X-Real-IP headers past the limit');
    for (let i = 0; i < limit + 1; i += 1) await stack.api.raw('GET', '/api/products');
    const spoofed = await Promise.all(
      ['203.0.113.7', '198.51.100.1, 127.0.0.1', '10.0.0.1'].map(async (ip) => (await stack.api.raw('GET', '/api/products', { headers: { 'x-forwarded-for': ip, 'x-real-ip': ip } })).status),
    );
    expect(spoofed).toEqual([429, 429, 429]);
    summary.hold('still 429 whatever the forwarding headers say');
  });
});
