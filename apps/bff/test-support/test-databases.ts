import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planPostgresTests, provideTestDatabase, type TestDatabase } from '@checkout/postgres-server';
import type { DatabaseConfig } from '../src/db/create-database';

export type TestBackend = DatabaseConfig['kind'];

const plan = planPostgresTests();
if (!plan.run) console.warn(`[bff tests] ${plan.reason}`);

/**
 * What the database tests run on: SQLite, and PostgreSQL unless this is a local run (CI unset)
 * on a machine without the server. Under CI a missing server fails with POSTGRES_NOT_INSTALLED.
 */
export const testBackends: readonly TestBackend[] = plan.run ? ['sqlite', 'postgres'] : ['sqlite'];

export interface FreshDatabase {
  config: DatabaseConfig;
  /** The same database as BFF env (startTestStack / loadConfig). */
  env: { SQLITE_PATH: string } | { DATABASE_URL: string };
  /** Removes a SQLite file's temp dir; PostgreSQL databases go with releaseTestPostgres(). */
  drop(): void;
}

let postgres: Promise<TestDatabase> | undefined;

/**
 * A fresh empty database: a SQLite file in a new temp dir, or a new database on this test file's
 * PostgreSQL, one server per file (vitest isolates modules per file), started on first use, or
 * TEST_DATABASE_URL's server when set. Call releaseTestPostgres() in the file's afterAll.
 */
export async function freshDatabase(backend: TestBackend, prefix = 'bff'): Promise<FreshDatabase> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const path = join(dir, 'bff.sqlite');
    return { config: { kind: 'sqlite', path }, env: { SQLITE_PATH: path }, drop: () => rmSync(dir, { recursive: true, force: true }) };
  }
  postgres ??= provideTestDatabase('bff_tests');
  const url = await (await postgres).createDatabase(prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_'));
  return { config: { kind: 'postgres', url, poolSize: 10 }, env: { DATABASE_URL: url }, drop: () => undefined };
}

/** Stops this file's PostgreSQL (or drops its databases on TEST_DATABASE_URL's server). */
export async function releaseTestPostgres(): Promise<void> {
  const started = postgres;
  postgres = undefined;
  // A server that never started (the tests already failed with its error) has nothing to release.
  const database = await started?.catch(() => undefined);
  await database?.release();
}
