import type BetterSqlite3 from 'better-sqlite3';

/**
 * better-sqlite3 behind Kysely's SqliteDialect with prepared statements kept per SQL text.
 * Kysely's SQLite driver calls prepare() for every query, and preparing was the largest single
 * cost of a request under load (≈ 13 % of the BFF's CPU on the notify path). Kysely binds every
 * value as a parameter, so the SQL texts repeat; the few that vary (`in (?, ?, …)` lists) are
 * bounded by the least-recently-used eviction. Reuse is safe because each connection runs one
 * statement at a time (the write lock of group-commit-sqlite-dialect.ts, which a stream holds until
 * it ends; a read on the read connection runs to completion in one synchronous call).
 */
export function withStatementCache(database: BetterSqlite3.Database, capacity = 256): { prepare(sql: string): BetterSqlite3.Statement; close(): void } {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): BetterSqlite3.Statement {
      const cached = statements.get(sql);
      if (cached) {
        // Map order is insertion order: move to the end so the oldest entry is evicted first.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) {
        const oldest = statements.keys().next();
        if (!oldest.done) statements.delete(oldest.value);
      }
      return statement;
    },
    close(): void {
      statements.clear();
      database.close();
    },
  };
}
