import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { PostgresHarnessError } from './postgres-harness-error';
import type { OsUser } from './server-os-user';

const READY_LINE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_CHARS = 4_000;

/** The port was taken between choosing it and the server binding it: pick another. */
export class PortInUseError extends Error {}

export interface LaunchedServer {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  logTail(): string;
}

/** How much a commit survives: 'production' keeps PostgreSQL's defaults (fsync on). */
export type ServerDurability = 'throwaway' | 'production';

/** Spawns the postmaster and resolves once it logs that it accepts connections. */
export function launchServer(
  postgresBinary: string,
  dataDir: string,
  socketDir: string,
  port: number,
  user: OsUser | undefined,
  durability: ServerDurability = 'throwaway',
): Promise<LaunchedServer> {
  const args = [
    '-D', dataDir,
    '-p', String(port),
    '-k', socketDir,
    '-c', 'listen_addresses=127.0.0.1',
    // Throwaway test data: durability off for speed; it does not change locking semantics.
    ...(durability === 'throwaway' ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    // Production: the memory a server is given (the 128 MB default is sized for the smallest
    // machines; a million-order history's hot indexes no longer fit in it).
    ...(durability === 'production' ? ['-c', 'shared_buffers=512MB'] : []),
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

/** Sends `first`, then escalates (fast, immediate, SIGKILL) every few seconds until it exits. */
export async function shutDown(server: LaunchedServer, first: 'SIGTERM' | 'SIGINT'): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill(first);
  const next = (['SIGINT', 'SIGQUIT', 'SIGKILL'] as const).filter((signal) => signal !== first);
  const escalation = next.map((signal, step) => setTimeout(() => server.child.kill(signal), STOP_GRACE_MS * (step + 1)));
  await server.exited;
  for (const timer of escalation) clearTimeout(timer);
}
