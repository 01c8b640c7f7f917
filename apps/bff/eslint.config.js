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

/** Test credentials and the emulator stay out of production code (dev defaults: one named file). */
const testCodeOutOfProduction = {
  paths: [
    { name: '@checkout/protocol/testing', message: 'Test keys reach src/ only through dev-merchant-defaults.ts.' },
    { name: '@checkout/wxpay-emulator', message: 'The emulator is for tests and development: import it from test-support/, not src/.' },
  ],
  patterns: [{ group: ['**/test-support/**'], message: 'Test support is not part of the production build.' }],
};

/** ESLint keeps only the last `no-restricted-imports` that matches a file, so each folder gets its whole list. */
const restrict = (...lists) => ['error', { paths: lists.flatMap((list) => list.paths ?? []), patterns: lists.flatMap((list) => list.patterns ?? []) }];

export default [
  ...checkoutConfig({ tsconfigRootDir: import.meta.dirname }),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/dev-merchant-defaults.ts'],
    rules: { 'no-restricted-imports': restrict(driversOnlyInStorage, testCodeOutOfProduction) },
  },
  {
    files: ['src/db/**/*.ts', 'src/adapters/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': restrict(testCodeOutOfProduction) },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: { 'no-restricted-imports': restrict(outsideTheDomain, testCodeOutOfProduction) },
  },
];
