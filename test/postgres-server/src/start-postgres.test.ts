import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from './free-port';
import { PostgresHarnessError, type RunningPostgres, startPostgres } from './index';
import { isProcessAlive, processUid } from './testing/process-alive';
import { waitUntil } from './testing/wait-until';
import { firstLine } from './testing/first-line';

const packageDir = join(import.meta.dirname, '..');

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function postmasterPid(dataDirectory: string): number {
  return Number(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

describe('startPostgres', () => {
  let postgres: RunningPostgres;

  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres.stop();
  });

  it('serves `select 1` through pg on a loopback port with a password', async () => {
    expect(postgres.url).toMatch(new RegExp(`^postgres://postgres:[0-9a-f]+@127\\.0\\.0\\.1:${postgres.port}/checkout$`));
    const rows = await query<{ one: number; db: string; listen: string }>(
      postgres.url,
      "select 1 as one, current_database() as db, current_setting('listen_addresses') as listen",
    );
    expect(rows).toEqual([{ one: 1, db: 'checkout', listen: '127.0.0.1' }]);
  });

  it('refuses a wrong password over TCP', async () => {
    const wrong = postgres.url.replace(/postgres:[0-9a-f]+@/, 'postgres:wrong@');
    await expect(query(wrong, 'select 1')).rejects.toThrow(/password authentication failed/);
  });

  it('keeps its data and socket in its own temp dir', async () => {
    const [row] = await query<{ data: string; sockets: string }>(
      postgres.url,
      "select current_setting('data_directory') as data, current_setting('unix_socket_directories') as sockets",
    );
    expect(row?.data.startsWith(postgres.dir)).toBe(true);
    expect(row?.sockets.startsWith(postgres.dir)).toBe(true);
    expect(postmasterPid(row?.data ?? '')).toBe(postgres.pid);
  });

  it.runIf(process.getuid?.() === 0)('runs the server as a non-root OS user when started by root', () => {
    expect(processUid(postgres.pid)).not.toBe(0);
  });

  it.runIf(process.getuid?.() === 0)('explains a temp dir the postgres OS user cannot reach, before running initdb', async () => {
    const privateRoot = mkdtempSync(join(tmpdir(), 'root-only-')); // 0700, owned by root
    try {
      await expect(startPostgres({ tempRoot: join(privateRoot) })).rejects.toMatchObject({
        code: 'POSTGRES_TEMP_DIR_UNREACHABLE',
        message: expect.stringContaining('TMPDIR') as unknown,
      });
      expect(readdirSync(privateRoot)).toEqual([]);
    } finally {
      rmSync(privateRoot, { recursive: true, force: true });
    }
  });

  it('creates further empty databases on the same server', async () => {
    const url = await postgres.createDatabase('second_db');
    expect(url).toBe(postgres.urlFor('second_db'));
    await query(url, 'create table t (id int primary key)');
    const rows = await query<{ n: string }>(postgres.url, "select count(*) as n from pg_tables where tablename = 't'");
    expect(rows).toEqual([{ n: '0' }]);
  });

  it('rejects bad options before starting anything', async () => {
    await expect(startPostgres({ port: -1 })).rejects.toMatchObject({ code: 'POSTGRES_INVALID_OPTION' });
    await expect(startPostgres({ port: 1.5 })).rejects.toMatchObject({ code: 'POSTGRES_INVALID_OPTION' });
    await expect(startPostgres({ database: 'x"; drop database postgres; --' })).rejects.toMatchObject({
      code: 'POSTGRES_INVALID_OPTION',
    });
    await expect(postgres.createDatabase('Bad-Name')).rejects.toBeInstanceOf(PostgresHarnessError);
  });
});

describe('stop', () => {
  it('stops the server, frees the port and removes every file; a second stop is a no-op', async () => {
    const postgres = await startPostgres({ database: 'stop_me' });
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    client.on('error', () => undefined); // the server closes this connection during fast shutdown
    await postgres.stop();
    expect(isProcessAlive(postgres.pid)).toBe(false);
    expect(existsSync(postgres.dir)).toBe(false);
    await expect(query(postgres.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    await postgres.stop();
    await client.end().catch(() => undefined);
  });

  it('listens on an explicit port and fails clearly when that port is taken', async () => {
    const port = await findFreePort();
    const postgres = await startPostgres({ port });
    try {
      expect(postgres.port).toBe(port);
      expect(await query(postgres.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await postgres.stop();
    }

    const blocker: Server = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(startPostgres({ port: taken })).rejects.toMatchObject({
        code: 'POSTGRES_START_FAILED',
        message: expect.stringContaining(`port ${taken}`) as unknown,
      });
    } finally {
      blocker.close();
    }
  });

  it('keeps durability off unless asked for production durability (benchmarks of durable commits)', async () => {
    const [throwaway, durable] = await Promise.all([startPostgres(), startPostgres({ durability: 'production' })]);
    try {
      const settings = "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes') order by name";
      expect(await query(throwaway.url, settings)).toEqual([{ name: 'fsync', setting: 'off' }, { name: 'full_page_writes', setting: 'off' }, { name: 'synchronous_commit', setting: 'off' }]);
      expect(await query(durable.url, settings)).toEqual([{ name: 'fsync', setting: 'on' }, { name: 'full_page_writes', setting: 'on' }, { name: 'synchronous_commit', setting: 'on' }]);
    } finally {
      await Promise.all([throwaway.stop(), durable.stop()]);
    }
  });

  it('runs two servers side by side', async () => {
    const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
    try {
      expect(a.port).not.toBe(b.port);
      await query(a.url, 'create table only_in_a (id int)');
      expect(await query(b.url, "select count(*)::int as n from pg_tables where tablename = 'only_in_a'")).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('outages', () => {
  it('stopServer() cuts clients and refuses connections; startServer() brings the same data back on the same port', async () => {
    const postgres = await startPostgres({ database: 'outage' });
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    const poolErrors: string[] = [];
    pool.on('error', (error: Error & { code?: string }) => poolErrors.push(error.code ?? error.message));
    try {
      await pool.query('create table kept (id int primary key)');
      await pool.query('insert into kept values (1)');
      const firstPid = postgres.pid;

      await postgres.stopServer();
      expect(isProcessAlive(firstPid)).toBe(false);
      expect(postgres.pid).toBe(-1);
      await expect(pool.query('select 1')).rejects.toThrow();

      await postgres.startServer();
      expect(isProcessAlive(postgres.pid)).toBe(true);
      expect(postgres.pid).not.toBe(firstPid);
      expect((await pool.query<{ id: number }>('select id from kept')).rows).toEqual([{ id: 1 }]);

      await postgres.restart();
      // The restart cut the pool's idle connection (reported on the pool); the next query reconnects.
      expect((await pool.query<{ n: number }>('select count(*)::int as n from kept')).rows).toEqual([{ n: 1 }]);
      expect(poolErrors).toContain('57P01');
    } finally {
      await pool.end();
      await postgres.stop();
    }
    expect(existsSync(postgres.dir)).toBe(false);
    await expect(postgres.startServer()).rejects.toMatchObject({ code: 'POSTGRES_INVALID_OPTION' });
  });
});

describe('an owner that never calls stop()', () => {
  for (const how of ['exits normally', 'is killed with SIGKILL'] as const) {
    it(`${how}: the server stops and its files are removed`, async () => {
      const owner = spawn(process.execPath, ['--import', 'tsx', 'src/fixtures/owner-process.ts', how === 'exits normally' ? 'exit' : 'wait'], {
        cwd: packageDir,
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const started = JSON.parse(await firstLine(owner.stdout, '{')) as { pid: number; dir: string; url: string };
      expect(await query(started.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      if (how === 'is killed with SIGKILL') owner.kill('SIGKILL');
      else owner.stdin.end();
      await once(owner, 'exit');
      await waitUntil(() => !isProcessAlive(started.pid) && !existsSync(started.dir), 'the watchdog to stop the server');
    });
  }
});
