// The PostgreSQL starter lives in @checkout/test-harness (startStack uses it, and this package
// depends on the harness); re-exported here so both names work.
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
} from '@checkout/test-harness';
