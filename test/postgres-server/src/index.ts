export { ensurePostgresInstalled, type EnsurePostgresInstalledOptions, type PostgresInstallation } from './ensure-postgres-installed';
export { PostgresHarnessError, type PostgresHarnessErrorCode } from './postgres-harness-error';
export { startPostgres, type RunningPostgres, type StartPostgresOptions } from './start-postgres';
export type { ServerDurability } from './postmaster-process';
export { provideTestDatabase, type TestDatabase } from './provide-test-database';
export { planPostgresTests, type PlanPostgresTestsOptions, type PostgresTestPlan } from './plan-postgres-tests';
export { findFreePort } from './free-port';
