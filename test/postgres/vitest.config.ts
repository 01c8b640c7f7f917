import { defineConfig } from 'vitest/config';

// initdb + a server start take a few seconds on 2 cores; these are limits, not assertions.
// eslint-disable-next-line no-restricted-syntax -- vitest loads the config's default export
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
