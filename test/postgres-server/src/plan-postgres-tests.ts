import { ensurePostgresInstalled } from './ensure-postgres-installed';
import { readPostgresHarnessEnv } from './env';
import { PostgresHarnessError } from './postgres-harness-error';

export type PostgresTestPlan = { run: true } | { run: false; reason: string };

export interface PlanPostgresTestsOptions {
  env?: NodeJS.ProcessEnv;
  /** Passed to ensurePostgresInstalled (a parameter so the skip path is testable). */
  searchRoot?: string;
}

/**
 * Whether a suite's PostgreSQL part runs. Under CI, or with TEST_DATABASE_URL naming a server, it
 * always runs: a missing server then fails the suite with POSTGRES_NOT_INSTALLED instead of
 * letting it pass on SQLite alone. Only a local run (no CI) without the server binaries skips it,
 * with a reason the caller prints.
 */
export function planPostgresTests(options: PlanPostgresTestsOptions = {}): PostgresTestPlan {
  const env = readPostgresHarnessEnv(options.env);
  if (env.CI || env.TEST_DATABASE_URL !== undefined) return { run: true };
  try {
    ensurePostgresInstalled({ pgBin: env.PG_BIN, ...(options.searchRoot === undefined ? {} : { searchRoot: options.searchRoot }) });
    return { run: true };
  } catch (error) {
    if (!(error instanceof PostgresHarnessError) || error.code !== 'POSTGRES_NOT_INSTALLED') throw error;
    return { run: false, reason: `PostgreSQL tests skipped (CI is not set): ${error.message}` };
  }
}
