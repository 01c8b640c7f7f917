// The PostgreSQL starter lives in @checkout/postgres-server (a package with no workspace
// dependencies, so apps/bff's tests can use it too); re-exported here so this name keeps working.
export {
  ensurePostgresInstalled,
  PostgresHarnessError,
  provideTestDatabase,
  startPostgres,
  type EnsurePostgresInstalledOptions,
  type PostgresHarnessErrorCode,
  type PostgresInstallation,
  type RunningPostgres,
  type StartPostgresOptions,
  type TestDatabase,
} from '@checkout/postgres-server';
