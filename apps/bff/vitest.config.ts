import { defineConfig } from 'vitest/config';

// Generous limits: suites start the real emulator and SQLite/PostgreSQL on loaded 2-core CI machines.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
