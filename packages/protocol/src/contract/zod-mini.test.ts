import { describe, expect, it, vi } from 'vitest';

// The mini-program bundles this contract with `zod` resolved to `zod/mini` (apps/miniapp config):
// run every contract test again on zod/mini, so a classic-only method (`.min()`, `.optional()` …)
// fails here instead of as "x.min is not a function" inside WeChat.
vi.mock('zod', async () => await vi.importActual('zod/mini'));

describe('the contract on zod/mini', () => {
  it('is built by zod/mini, which has no classic methods', async () => {
    const { orderSchema } = await import('./order');
    expect('min' in orderSchema.shape.totalFen).toBe(false);
    expect(typeof orderSchema.safeParse).toBe('function');
  });
});

await import('./catalog.test');
await import('./error-body.test');
await import('./money.test');
await import('./order.test');
await import('./session.test');
await import('./subsidy.test');
