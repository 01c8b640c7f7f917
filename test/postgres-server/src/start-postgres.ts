import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { assertReachableBy } from './assert-reachable-by';
import { copyDataDir, dataDirTemplate } from './data-dir-template';
import { ensurePostgresInstalled } from './ensure-postgres-installed';
import { readPostgresHarnessEnv } from './env';
import { startExitWatchdog, type ExitWatchdog } from './exit-watchdog';
import { findFreePort } from './free-port';
import { launchServer, PortInUseError, shutDown, type LaunchedServer, type ServerDurability } from './postmaster-process';
import { PostgresHarnessError } from './postgres-harness-error';
import { resolveServerOsUser } from './server-os-user';

export interface StartPostgresOptions {
  /** 0 (default) picks a free loopback port. */
  port?: number;
  /** Database created for `url` (default `checkout`). */
  database?: string;
  /** Server binary directory; default PG_BIN, then /usr/lib/postgresql/<newest>/bin. */
  pgBin?: string;
  /** Where the server's temp dir is made (default: the OS temp dir, i.e. TMPDIR or /tmp). */
  tempRoot?: string;
  /**
   * 'throwaway' (default): fsync, synchronous_commit and full_page_writes off, for test speed.
   * 'production': PostgreSQL's defaults (every commit flushed), for benchmarks that measure the
   * cost of a durable commit.
   */
  durability?: ServerDurability;
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
const PORT_ATTEMPTS = 5;

function assertDatabaseName(database: string): void {
  if (!DATABASE_NAME.test(database)) {
    throw new PostgresHarnessError(
      'POSTGRES_INVALID_OPTION',
      `database name ${JSON.stringify(database)} must match ${String(DATABASE_NAME)}`,
    );
  }
}

/**
 * Starts a private PostgreSQL in a temp dir on 127.0.0.1 and creates one database. Works as root
 * (the server runs as the `postgres` OS user). stop() or the owner's exit stops it and removes
 * every file.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const { port: requestedPort = 0, database = 'checkout', durability = 'throwaway' } = options;
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
    mkdirSync(socketDir, { mode: 0o700 });
    if (user) for (const path of [dir, socketDir]) chownSync(path, user.uid, user.gid);
    const template = await dataDirTemplate(binDir, user, tempRoot);
    await copyDataDir(template, dataDir);
    const { password } = template;

    let port = requestedPort;
    for (let attempt = 1; server === undefined; attempt += 1) {
      port = requestedPort === 0 ? await findFreePort() : requestedPort;
      try {
        server = await launchServer(join(binDir, 'postgres'), dataDir, socketDir, port, user, durability);
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
        current = await launchServer(postgresBinary, dataDir, socketDir, port, user, durability);
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
