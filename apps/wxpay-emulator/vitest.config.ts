import { defineConfig } from 'vitest/config';

// eslint-disable-next-line no-restricted-syntax -- vitest loads its config from the default export
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
