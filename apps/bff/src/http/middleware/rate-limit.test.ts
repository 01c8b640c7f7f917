import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../../test-support/test-stack';
import { startTestStack } from '../../../test-support/test-stack';

describe('rate limit on /api', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: String(3600_000) });
  });
  afterAll(() => stack.close());

  it('counts /API/… and other case variants (the routers serve them) against the same limit', async () => {
    const statuses: number[] = [];
    for (const path of ['/api/products', '/API/products', '/Api/products', '/aPi/products', '/API/PRODUCTS']) {
      statuses.push((await stack.api(path)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});

describe('rate limit behind a trusted proxy (TRUST_PROXY=1)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: String(3600_000), TRUST_PROXY: '1' });
  });
  afterAll(() => stack.close());

  it('keys on the address the proxy appended, not on entries the client put in X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await stack.api('/api/products', { headers: { 'x-forwarded-for': `10.0.0.${String(i)}, 203.0.113.7` } })).status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    // Another client (another appended address) has its own budget.
    expect((await stack.api('/api/products', { headers: { 'x-forwarded-for': '203.0.113.8' } })).status).toBe(200);
  });
});
