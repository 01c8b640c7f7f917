import { findFreePort, ManagedProcess, startStack, type Stack } from '@checkout/test-harness';
import type { BenchBackend } from './bench-config';
import { findPostmasterPid } from './postgres-cpu';

/** The BFF(s) under load for one backend, with the pids whose CPU the bench reads. */
export interface BenchStack {
  backend: BenchBackend;
  stack: Stack;
  /** Every BFF instance's base URL; autocannon spreads its connections over them. */
  bffUrls: string[];
  bffPids: (number | undefined)[];
  emulatorPid: number | undefined;
  /** The PostgreSQL postmaster (undefined on SQLite). */
  postgresPid: number | undefined;
  close(): Promise<void>;
}

// The sweeper would orderquery the bench's pending orders in the background: noise, not the path measured.
// SQLITE_SYNCHRONOUS spelled out: the bench measures the production durability (a synced commit per ack).
const bffEnv = { LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000000', LOGIN_RATE_LIMIT_MAX: '1000000000', LOGIN_BUDGET_MAX: '1000000000', SWEEPER_ENABLED: '0', NODE_ENV: 'production' };

async function waitForReady(url: string, bff: ManagedProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!bff.running) throw new Error(`${bff.spec.name} exited before it was ready\n${bff.tail(40)}`);
    try {
      const response = await fetch(`${url}/readyz`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${bff.spec.name}: ${url}/readyz not ready after 60 s\n${bff.tail(40)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The emulator and one BFF from startStack (SQLite in a temp dir, or a fresh database on a private
 * PostgreSQL). postgres-2x adds a second BFF process with the first one's exact environment but
 * its own port: two instances on one database, as behind a load balancer.
 */
export async function startBenchStack(backend: BenchBackend, options: { profileDir: string | null; sqliteSynchronous: 'FULL' | 'NORMAL' }): Promise<BenchStack> {
  const { profileDir } = options;
  const stack = await startStack({
    name: `bench-${backend}`,
    database: backend === 'sqlite' ? 'sqlite' : 'postgres',
    bffEnv: { ...bffEnv, SQLITE_SYNCHRONOUS: options.sqliteSynchronous },
    bffClockShifter: false,
    ...(profileDir === null ? {} : { bffNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }),
    // The deployed shape: node dist/main.js for the BFF and the emulator, no tsx.
    build: 'production',
  });
  const extra: ManagedProcess[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(extra.map((bff) => bff.stop(10_000)));
    await stack.close();
  };
  try {
    const bffUrls = [stack.bffUrl];
    if (backend === 'postgres-2x') {
      const port = await findFreePort();
      const url = `http://127.0.0.1:${String(port)}`;
      const first = stack.bffProcess.spec;
      const second = new ManagedProcess({
        ...first,
        name: `${first.name}-b`,
        env: { ...first.env, PORT: String(port), WXPAY_NOTIFY_URL: `${url}/wxpay/notify` },
        ...(first.logFile === undefined ? {} : { logFile: first.logFile.replace(/\.log$/, '-b.log') }),
      });
      extra.push(second);
      second.start();
      await waitForReady(url, second);
      bffUrls.push(url);
    }
    const databasePort = stack.databaseUrl === null ? undefined : Number(new URL(stack.databaseUrl).port);
    const postgresPid = databasePort === undefined ? undefined : findPostmasterPid(databasePort);
    if (databasePort !== undefined && postgresPid === undefined) throw new Error(`no postmaster found on port ${String(databasePort)} (TEST_DATABASE_URL's server is not measured: unset it for the bench)`);
    return {
      backend,
      stack,
      bffUrls,
      bffPids: [stack.bffProcess.pid, ...extra.map((bff) => bff.pid)],
      emulatorPid: stack.emulatorProcess.pid,
      postgresPid,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
