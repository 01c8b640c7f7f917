import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * Kysely's SQLite driver, except that ROLLBACK is skipped when SQLite has already ended the
 * transaction. On SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM or SQLITE_BUSY SQLite may roll the whole
 * transaction back by itself; Kysely's ROLLBACK then throws "cannot rollback - no transaction is
 * active", which replaces the original error in every log line and caller above.
 */
class RollbackSafeSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly database: Pick<BetterSqlite3.Database, 'inTransaction'>,
  ) {
    super(config);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.database.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

/** SqliteDialect for one better-sqlite3 connection (`database` is what `config.database` wraps). */
export class RollbackSafeSqliteDialect extends SqliteDialect {
  constructor(
    private readonly dialectConfig: SqliteDialectConfig,
    private readonly database: Pick<BetterSqlite3.Database, 'inTransaction'>,
  ) {
    super(dialectConfig);
  }

  override createDriver(): Driver {
    return new RollbackSafeSqliteDriver(this.dialectConfig, this.database);
  }
}
