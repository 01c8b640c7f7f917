import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../test-support/test-stack';
import { startTestStack } from '../../test-support/test-stack';

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
