import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type SqliteDialectConfig,
  type TransactionSettings,
} from 'kysely';

/** Transactions that may share one commit at most (a bound on how long the write lock is held). */
const maxGroupSize = 128;

export class GroupRolledBackError extends Error {
  readonly code = 'SQLITE_GROUP_ROLLED_BACK';
  constructor(cause: unknown) {
    super('SQLite rolled back the commit group this transaction belonged to', { cause });
  }
}

const memberSavepoint = 'group_member';

/** Kysely-generated reads; anything else (pragmas included) goes to the write connection. */
const selectStatement = /^\s*(select|with)\s/i;

/**
 * The write connection (the one `config.database` wraps; its `inTransaction` is read) and an
 * optional read-only connection to the same file, behind a statement cache.
 */
export interface SqliteConnections {
  writer: Pick<BetterSqlite3.Database, 'inTransaction'>;
  reader?: { prepare(sql: string): Pick<BetterSqlite3.Statement, 'readonly' | 'all'>; close(): void };
  /** After each successful group COMMIT, with the number of transactions it held. */
  onCommitGroup?: (transactions: number) => void;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Kysely's SQLite driver with group commit. With synchronous=FULL every COMMIT syncs the WAL, and
 * the sync, not the SQL, was most of a payment's cost; better-sqlite3 runs it on the event loop.
 * Here the transactions that run in one turn of the event loop share one real transaction: each
 * runs inside its own SAVEPOINT (its failure undoes only its own work), and the group is
 * committed, with one sync, before the next turn (or when it reaches `maxGroupSize`). Every
 * transaction's `execute()` settles only after that COMMIT: nothing is acknowledged before it
 * is on disk, exactly as with one commit per transaction. If the COMMIT fails, every transaction
 * of the group fails with its error and none of them is kept.
 *
 * Members run one after another on the one write connection, so each sees the work of the
 * earlier ones, as it would have after their commits. A member that fails commits the ones before
 * it first, so what it collided with (a unique key they took) is visible to its caller's next
 * read. A transaction that awaited anything but the database (an HTTP call) would hold back the
 * acks of the whole group: none does, and none may.
 *
 * A SELECT outside a transaction runs on a second, read-only connection (WAL lets it read while
 * a group is open): it sees committed work only, and does not end the group. Any other statement
 * outside a transaction first commits the open group, then runs alone on the write connection.
 * Without a reader (`:memory:`), reads do the same.
 *
 * It also skips ROLLBACK when SQLite already ended the transaction itself (SQLITE_FULL, IOERR,
 * NOMEM, BUSY may): Kysely's ROLLBACK would then throw "cannot rollback - no transaction is
 * active" in place of the original error. The other members of that group lost their work too,
 * and fail with GroupRolledBackError.
 */
class GroupCommitSqliteDriver implements Driver {
  readonly #inner: SqliteDriver;
  readonly #connections: SqliteConnections;
  /** Held by one transaction from BEGIN/SAVEPOINT to RELEASE, or by one statement outside a transaction. */
  readonly #writeLock = new FifoMutex();
  #writer: DatabaseConnection | undefined;
  /** Transactions whose savepoint is released and that wait for the group's COMMIT. */
  #group: Waiter[] | null = null;
  #flushScheduled = false;

  constructor(config: SqliteDialectConfig, connections: SqliteConnections) {
    this.#inner = new SqliteDriver(config);
    this.#connections = connections;
  }

  async init(): Promise<void> {
    await this.#inner.init();
    // The inner driver is only the write connection: its own mutex is taken once, for good.
    this.#writer = await this.#inner.acquireConnection();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new Lease(this));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#unlock(connection as Lease);
    return Promise.resolve();
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    const lease = connection as Lease;
    await this.#writeLock.lock();
    lease.holdsWriteLock = true;
    if (this.#group === null) {
      // IMMEDIATE: the write lock now, not at the first write (a deferred BEGIN can fail with
      // SQLITE_BUSY at that upgrade if another process wrote in between).
      await this.#raw('begin immediate');
      this.#group = [];
    }
    // One name for every member: members run one after another, each released or rolled back
    // before the next begins, and a constant text keeps these statements in the statement cache.
    await this.#raw(`savepoint ${memberSavepoint}`);
    lease.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const group = this.#group;
    if (!lease.inTransaction || group === null) throw new Error('commit without a transaction');
    // If RELEASE fails the lease is still in its transaction, so Kysely's rollback undoes it.
    await this.#raw(`release ${memberSavepoint}`);
    lease.inTransaction = false;
    const committed = new Promise<void>((resolve, reject) => group.push({ resolve, reject }));
    if (group.length >= maxGroupSize) await this.#commitGroup();
    else this.#scheduleFlush();
    // Let the next transaction of this turn run while this one waits for the group's COMMIT.
    this.#unlock(lease);
    await committed;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const inTransaction = lease.inTransaction;
    lease.inTransaction = false;
    try {
      // Already released into the group: the group's COMMIT failed and every member was told.
      if (!inTransaction) return;
      if (!this.#connections.writer.inTransaction) {
        this.#failGroup(new GroupRolledBackError(new Error('SQLite ended the transaction after a failed statement')));
        return;
      }
      await this.#raw(`rollback to ${memberSavepoint}`);
      await this.#raw(`release ${memberSavepoint}`);
      // The failure may come from the earlier members' work (a unique key they took): commit it
      // before the error reaches the caller, whose next read (on the read connection) must find it.
      await this.#commitGroup();
    } finally {
      this.#unlock(lease);
    }
  }

  async savepoint(_connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.savepoint(this.#writeConnection(), name, compile);
  }

  async rollbackToSavepoint(_connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.rollbackToSavepoint(this.#writeConnection(), name, compile);
  }

  async releaseSavepoint(_connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.releaseSavepoint(this.#writeConnection(), name, compile);
  }

  async destroy(): Promise<void> {
    await this.#alone(() => this.#commitGroup());
    this.#connections.reader?.close();
    await this.#inner.destroy();
  }

  execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>> {
    if (lease.inTransaction) return this.#writeConnection().executeQuery<R>(query);
    const { reader } = this.#connections;
    if (reader && selectStatement.test(query.sql)) {
      const statement = reader.prepare(query.sql);
      if (statement.readonly) return Promise.resolve({ rows: statement.all(query.parameters) as R[] });
    }
    return this.#alone(async () => {
      await this.#commitGroup();
      return this.#writeConnection().executeQuery<R>(query);
    });
  }

  async *stream<R>(lease: Lease, query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    if (lease.inTransaction) {
      yield* this.#writeConnection().streamQuery<R>(query, chunkSize);
      return;
    }
    // A stream holds its connection until it ends (better-sqlite3 runs nothing else on it meanwhile).
    await this.#writeLock.lock();
    try {
      await this.#commitGroup();
      yield* this.#writeConnection().streamQuery<R>(query, chunkSize);
    } finally {
      this.#writeLock.unlock();
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.#alone(() => this.#commitGroup());
    });
  }

  async #alone<T>(work: () => Promise<T>): Promise<T> {
    await this.#writeLock.lock();
    try {
      return await work();
    } finally {
      this.#writeLock.unlock();
    }
  }

  /** Commits the open group (caller holds the write lock); each member's execute() then settles. */
  async #commitGroup(): Promise<void> {
    const group = this.#group;
    if (group === null) return;
    this.#group = null;
    try {
      await this.#raw('commit');
    } catch (error) {
      for (const waiter of group) waiter.reject(error);
      // A failed COMMIT (I/O error, full disk) may leave the transaction open: end it.
      if (this.#connections.writer.inTransaction) await this.#raw('rollback').catch(() => undefined);
      return;
    }
    for (const waiter of group) waiter.resolve();
    try {
      if (group.length > 0) this.#connections.onCommitGroup?.(group.length);
    } catch {
      // An observer (metrics) never fails a commit that happened.
    }
  }

  #failGroup(error: Error): void {
    const group = this.#group;
    this.#group = null;
    for (const waiter of group ?? []) waiter.reject(error);
  }

  #unlock(lease: Lease): void {
    if (!lease.holdsWriteLock) return;
    lease.holdsWriteLock = false;
    this.#writeLock.unlock();
  }

  async #raw(sql: string): Promise<void> {
    await this.#writeConnection().executeQuery(CompiledQuery.raw(sql));
  }

  #writeConnection(): DatabaseConnection {
    if (!this.#writer) throw new Error('the SQLite driver is not initialised');
    return this.#writer;
  }
}

/** One acquisition of "the connection": whether it is inside a transaction and holds the write lock. */
class Lease implements DatabaseConnection {
  holdsWriteLock = false;
  /** Between its SAVEPOINT and its RELEASE (or rollback). */
  inTransaction = false;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream<R>(this, query, chunkSize);
  }
}

/** First come, first served: a flush waiting for the connection is not overtaken by later arrivals. */
class FifoMutex {
  #locked = false;
  readonly #waiting: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#locked = false;
  }
}

/** SqliteDialect over a write connection (`config.database`) and an optional read-only one. */
export class GroupCommitSqliteDialect extends SqliteDialect {
  constructor(
    private readonly dialectConfig: SqliteDialectConfig,
    private readonly connections: SqliteConnections,
  ) {
    super(dialectConfig);
  }

  override createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.dialectConfig, this.connections);
  }
}
