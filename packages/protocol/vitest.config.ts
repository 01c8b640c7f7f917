import { defineConfig } from 'vitest/config';

// Property and fuzz tests run hundreds of cases; on a loaded 2-core CI machine they need more
// than vitest's 5 s default. These are ceilings, not performance assertions.
export default defineConfig({
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
