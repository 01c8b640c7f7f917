import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { ensurePostgresInstalled } from './ensure-postgres-installed';
import { readPostgresHarnessEnv } from './env';
import { startExitWatchdog, type ExitWatchdog } from './exit-watchdog';
import { findFreePort } from './free-port';
import { PostgresHarnessError } from './postgres-harness-error';
import { resolveServerOsUser, type OsUser } from './server-os-user';

export interface StartPostgresOptions {
  /** 0 (default) picks a free loopback port. */
  port?: number;
  /** Database created for `url` (default `checkout`). */
  database?: string;
  /** Server binary directory; default PG_BIN, then /usr/lib/postgresql/<newest>/bin. */
  pgBin?: string;
  /** Where the server's temp dir is made (default: the OS temp dir, i.e. TMPDIR or /tmp). */
  tempRoot?: string;
}

export interface RunningPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>` */
  url: string;
  port: number;
  /** The postmaster's pid (-1 while stopServer() has it down). */
  readonly pid: number;
  /** Temp dir holding the data directory and the unix socket; removed by stop(). */
  dir: string;
  /** URL of another database on this server (same credentials). */
  urlFor(database: string): string;
  /** Creates a fresh empty database and returns its URL. */
  createDatabase(database: string): Promise<string>;
  /** Takes the server down (fast shutdown: sessions are cut) and keeps its data: an outage. */
  stopServer(): Promise<void>;
  /** Brings it back on the same port with the same data. */
  startServer(): Promise<void>;
  /** stopServer() then startServer(): a database restart as clients see it. */
  restart(): Promise<void>;
  /** Waits up to 5 s for clients to disconnect, then fast shutdown; removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const READY_LINE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_CHARS = 4_000;
const PORT_ATTEMPTS = 5;

function assertDatabaseName(database: string): void {
  if (!DATABASE_NAME.test(database)) {
    throw new PostgresHarnessError(
      'POSTGRES_INVALID_OPTION',
      `database name ${JSON.stringify(database)} must match ${String(DATABASE_NAME)}`,
    );
  }
}

function runAs(file: string, args: string[], cwd: string, user: OsUser | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, ...(user ?? {}) }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${error.message}\n${stderr}`.slice(0, LOG_TAIL_CHARS)));
      else resolve(stdout);
    });
  });
}

class PortInUseError extends Error {}

interface LaunchedServer {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  logTail(): string;
}

/** Spawns the postmaster and resolves once it logs that it accepts connections. */
function launchServer(
  postgresBinary: string,
  dataDir: string,
  socketDir: string,
  port: number,
  user: OsUser | undefined,
): Promise<LaunchedServer> {
  const args = [
    '-D', dataDir,
    '-p', String(port),
    '-k', socketDir,
    '-c', 'listen_addresses=127.0.0.1',
    // Throwaway test data: durability off for speed; it does not change locking semantics.
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
    '-c', 'max_connections=200',
    '-c', 'lc_messages=C',
    '-c', 'logging_collector=off',
  ];
  const child = spawn(postgresBinary, args, {
    cwd: dataDir,
    ...(user ?? {}),
    detached: true, // own process group: our signals, not the terminal's, stop it
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let ready = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new PostgresHarnessError('POSTGRES_START_FAILED', `postgres did not become ready in ${START_TIMEOUT_MS} ms:\n${log}`));
    }, START_TIMEOUT_MS);
    child.once('error', (cause) => {
      clearTimeout(timer);
      reject(new PostgresHarnessError('POSTGRES_START_FAILED', `could not run ${postgresBinary}: ${cause.message}`, { cause }));
    });
    // Keep draining stderr for the server's lifetime, or a full pipe would block its logging.
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log = (log + chunk).slice(-LOG_TAIL_CHARS);
      if (!ready && log.includes(READY_LINE)) {
        ready = true;
        clearTimeout(timer);
        // A started server must not keep the owner's event loop alive; stop() or the watchdog ends it.
        child.unref();
        (child.stderr as unknown as Socket).unref();
        resolve({ child, pid: child.pid ?? -1, exited, logTail: () => log });
      }
    });
    void exited.then(() => {
      if (ready) return;
      clearTimeout(timer);
      if (log.includes('Address already in use')) reject(new PortInUseError(log));
      else reject(new PostgresHarnessError('POSTGRES_START_FAILED', `postgres exited during start (exit ${String(child.exitCode)}):\n${log}`));
    });
  });
}

/**
 * The server runs as `user`, so it must be able to enter every directory above its temp dir.
 * Checked up front: initdb's own error for this ("could not change directory") names no remedy.
 */
function assertReachableBy(user: OsUser, tempRoot: string): void {
  for (let dir = resolve(tempRoot); ; dir = dirname(dir)) {
    const stat = statSync(dir);
    const canEnter =
      (stat.mode & 0o001) !== 0 || (stat.uid === user.uid && (stat.mode & 0o100) !== 0) || (stat.gid === user.gid && (stat.mode & 0o010) !== 0);
    if (!canEnter) {
      throw new PostgresHarnessError(
        'POSTGRES_TEMP_DIR_UNREACHABLE',
        `The postgres OS user cannot enter ${dir}, so it cannot use a data directory under ${tempRoot}. ` +
          'Set TMPDIR (or the tempRoot option) to a directory it can reach, such as /tmp.',
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/** Sends `first`, then escalates (fast, immediate, SIGKILL) every few seconds until it exits. */
async function shutDown(server: LaunchedServer, first: 'SIGTERM' | 'SIGINT'): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill(first);
  const next = (['SIGINT', 'SIGQUIT', 'SIGKILL'] as const).filter((signal) => signal !== first);
  const escalation = next.map((signal, step) => setTimeout(() => server.child.kill(signal), STOP_GRACE_MS * (step + 1)));
  await server.exited;
  for (const timer of escalation) clearTimeout(timer);
}

/**
 * Starts a private PostgreSQL in a temp dir on 127.0.0.1 and creates one database. Works as root
 * (the server runs as the `postgres` OS user). stop() or the owner's exit stops it and removes
 * every file.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const { port: requestedPort = 0, database = 'checkout' } = options;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) {
    throw new PostgresHarnessError('POSTGRES_INVALID_OPTION', `port must be 0 or an integer 1..65535, got ${String(requestedPort)}`);
  }
  assertDatabaseName(database);
  const { binDir } = ensurePostgresInstalled({ pgBin: options.pgBin ?? readPostgresHarnessEnv().PG_BIN });
  const user = await resolveServerOsUser();
  const tempRoot = options.tempRoot ?? tmpdir();
  if (user) assertReachableBy(user, tempRoot);

  const dir = mkdtempSync(join(tempRoot, 'checkout-pg-'));
  let server: LaunchedServer | undefined;
  let watchdog: ExitWatchdog | undefined;
  try {
    const dataDir = join(dir, 'data');
    const socketDir = join(dir, 'socket');
    const passwordFile = join(dir, 'password');
    const password = randomBytes(18).toString('hex');
    mkdirSync(dataDir, { mode: 0o700 });
    mkdirSync(socketDir, { mode: 0o700 });
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) for (const path of [dir, dataDir, socketDir, passwordFile]) chownSync(path, user.uid, user.gid);

    try {
      await runAs(
        join(binDir, 'initdb'),
        ['-D', dataDir, '-U', 'postgres', '--pwfile', passwordFile, '--auth-local=trust', '--auth-host=scram-sha-256',
          '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
        dir,
        user,
      );
    } catch (cause) {
      throw new PostgresHarnessError('POSTGRES_INITDB_FAILED', (cause as Error).message, { cause });
    } finally {
      rmSync(passwordFile, { force: true });
    }

    let port = requestedPort;
    for (let attempt = 1; server === undefined; attempt += 1) {
      port = requestedPort === 0 ? await findFreePort() : requestedPort;
      try {
        server = await launchServer(join(binDir, 'postgres'), dataDir, socketDir, port, user);
      } catch (error) {
        if (!(error instanceof PortInUseError)) throw error;
        if (requestedPort !== 0 || attempt >= PORT_ATTEMPTS) {
          throw new PostgresHarnessError('POSTGRES_START_FAILED', `port ${port} on 127.0.0.1 is already in use`);
        }
      }
    }
    const postgresBinary = join(binDir, 'postgres');
    let current: LaunchedServer | undefined = server;
    let armed = startExitWatchdog(server.pid, dir);
    watchdog = armed;

    const urlFor = (name: string): string => {
      assertDatabaseName(name);
      return `postgres://postgres:${password}@127.0.0.1:${port}/${name}`;
    };
    const createDatabase = async (name: string): Promise<string> => {
      assertDatabaseName(name);
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    };

    let stopping: Promise<void> | undefined;
    const assertNotStopped = (): void => {
      if (stopping) throw new PostgresHarnessError('POSTGRES_INVALID_OPTION', 'this PostgreSQL was stopped');
    };
    const stopServer = async (): Promise<void> => {
      assertNotStopped();
      if (current === undefined) return;
      // Fast shutdown, as in a restart or failover: open sessions are cut.
      await shutDown(current, 'SIGINT');
      current = undefined;
    };
    const startServer = async (): Promise<void> => {
      assertNotStopped();
      if (current !== undefined) return;
      try {
        current = await launchServer(postgresBinary, dataDir, socketDir, port, user);
      } catch (error) {
        if (error instanceof PortInUseError) {
          throw new PostgresHarnessError('POSTGRES_START_FAILED', `port ${port} was taken while the server was down`);
        }
        throw error;
      }
      const previous = armed;
      armed = startExitWatchdog(current.pid, dir);
      previous.disarm();
    };
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        // Smart shutdown first: pools that are closing get to finish their goodbyes, instead of
        // receiving "terminating connection" errors on sockets their owners already let go of.
        if (current !== undefined) await shutDown(current, 'SIGTERM');
        current = undefined;
        armed.disarm();
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    };

    await createDatabase(database);
    return {
      url: urlFor(database),
      port,
      get pid() {
        return current?.pid ?? -1;
      },
      dir,
      urlFor,
      createDatabase,
      stopServer,
      startServer,
      async restart() {
        await stopServer();
        await startServer();
      },
      stop,
    };
  } catch (error) {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGQUIT');
      await server.exited;
    }
    watchdog?.disarm();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
