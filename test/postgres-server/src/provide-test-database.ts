import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readPostgresHarnessEnv } from './env';
import { startPostgres } from './start-postgres';

export interface TestDatabase {
  /** URL of a fresh, empty database. */
  url: string;
  /** Another fresh database on the same server. */
  createDatabase(prefix: string): Promise<string>;
  /** Drops what it created (external server) or stops the private server. */
  release(): Promise<void>;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

async function onServer(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one suite: on TEST_DATABASE_URL's server when set (CI may run one shared
 * PostgreSQL), otherwise on a private server started for this suite.
 */
export async function provideTestDatabase(prefix = 'suite'): Promise<TestDatabase> {
  const external = readPostgresHarnessEnv().TEST_DATABASE_URL;
  if (external === undefined) {
    const server = await startPostgres({ database: uniqueName(prefix) });
    return {
      url: server.url,
      createDatabase: (name) => server.createDatabase(uniqueName(name)),
      release: () => server.stop(),
    };
  }
  const created: string[] = [];
  const createDatabase = async (name: string): Promise<string> => {
    const database = uniqueName(name);
    await onServer(external, `CREATE DATABASE "${database}"`);
    created.push(database);
    const url = new URL(external);
    url.pathname = `/${database}`;
    return url.toString();
  };
  return {
    url: await createDatabase(prefix),
    createDatabase,
    async release() {
      for (const database of created) await onServer(external, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    },
  };
}
