import { defineConfig } from 'vitest/config';

// initdb + a server start take a few seconds on 2 cores; these are limits, not assertions.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
