import { z } from 'zod';

export type TestSize = 'small' | 'full';

const testSizeSchema = z.enum(['small', 'full']).default('small');

/** TEST_SIZE=small (default, CI) or full (`test:full`). The only place the suites read it. */
export function testSize(): TestSize {
  const parsed = testSizeSchema.safeParse(process.env.TEST_SIZE === '' ? undefined : process.env.TEST_SIZE);
  if (!parsed.success) throw new Error(`TEST_SIZE must be "small" or "full", got ${JSON.stringify(process.env.TEST_SIZE)}`);
  return parsed.data;
}

/** Picks the value for the current size. */
export function bySize<T>(sizes: { small: T; full: T }): T {
  return sizes[testSize()];
}
