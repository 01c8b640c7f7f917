import { defineConfig } from 'vitest/config';

// eslint-disable-next-line no-restricted-syntax -- vitest loads its config from a default export
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
