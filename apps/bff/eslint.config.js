import { checkoutConfig } from '@checkout/eslint-config';

/** What the domain must never reach for: it speaks to the world through its ports only. */
const outsideTheDomain = {
  paths: ['koa', '@koa/router', 'kysely', 'pg', 'better-sqlite3', 'node:http', 'node:https', 'pino', 'prom-client'].map((name) => ({
    name,
    message: 'domain/ depends on ports, not on drivers, HTTP or infrastructure: put this in an adapter.',
  })),
  patterns: [
    { group: ['**/adapters/**', '**/db/**', '**/http/**', '**/metrics/**', '**/outbox/**'], message: 'domain/ must not import adapters or infrastructure; depend on a port.' },
  ],
};

/** The database drivers: reached through Kysely dialects built in db/ (and adapters), nowhere else. */
const driversOnlyInStorage = {
  paths: ['pg', 'better-sqlite3'].map((name) => ({ name, message: 'Only db/ and adapters/ open database connections: take a Kysely instance or a port instead.' })),
};

export default [
  ...checkoutConfig({ tsconfigRootDir: import.meta.dirname }),
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', outsideTheDomain] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/domain/**', 'src/db/**', 'src/adapters/**', 'src/**/*.test.ts', 'src/test-support/**'],
    rules: { 'no-restricted-imports': ['error', driversOnlyInStorage] },
  },
];
