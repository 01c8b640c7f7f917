import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, releaseTestPostgres, testBackends } from '../../test-support/test-databases';
import { createDatabase } from './create-database';

afterAll(releaseTestPostgres);

const untilTrue = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe.runIf(testBackends.includes('postgres'))('a PostgreSQL connection lost while checked out', () => {
  it('fails that transaction only: the process survives, the loss is reported, the next query gets a new connection', async () => {
    const database = await freshDatabase('postgres', 'connection_loss');
    if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const lost: (string | undefined)[] = [];
    const handle = createDatabase(database.config, { onPoolError: (error) => lost.push(error.code) });
    const admin = new pg.Client({ connectionString: database.config.url });
    await admin.connect();
    try {
      const transaction = handle.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        // Terminated between two queries of the transaction: no query is active on the client.
        await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
        await untilTrue(() => lost.length > 0);
        await sql`select 1`.execute(trx);
      });
      await expect(transaction).rejects.toThrow();
      expect(lost[0]).toBe('57P01');
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await handle.close();
    }
  });
});
