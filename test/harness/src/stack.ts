import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devMerchant } from '@checkout/protocol/testing';
import { BffDatabase } from './bff-database';
import { ContractClient, expectOk } from './contract-client';
import { EmulatorClient } from './emulator-client';
import { findFreePort } from '@checkout/postgres-server';
import { ManagedProcess, delay, type LogLine } from './managed-process';
import { provideTestDatabase, type TestDatabase } from '@checkout/postgres-server';
import { testDatabaseBackend, type TestDatabaseBackend } from './test-database-backend';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const emulatorDir = join(repoRoot, 'apps/wxpay-emulator');
const bffDir = join(repoRoot, 'apps/bff');
const clockShift = new URL('./clock-shift.mjs', import.meta.url).href;

export interface StackOptions {
  /** Used in the temp dir name and log prefixes. */
  name?: string;
  /** Emulator notify retry schedule scale (default 0.001: 15 s → 15 ms). */
  notifyTimeScale?: number;
  /** Extra or overriding BFF env (apps/bff/src/env.ts names). */
  bffEnv?: Readonly<Record<string, string>>;
  emulatorEnv?: Readonly<Record<string, string>>;
  /** Extra node flags for the BFF process (profiling: ['--cpu-prof', '--cpu-prof-dir=…']). */
  bffNodeArgs?: readonly string[];
  /** Preload the BFF clock shifter (default true). Benchmarks turn it off: it wraps Date. */
  bffClockShifter?: boolean;
  /** The BFF's database (default: env TEST_DB, else sqlite). postgres: a fresh database for this stack. */
  database?: TestDatabaseBackend;
  /**
   * 'source' (default): src/main.ts through tsx. 'production': each app's build output,
   * `node dist/main.js`, as deployed (run the apps' `build` task first).
   */
  build?: 'source' | 'production';
}

export interface RestartOptions {
  /** kill -9 (crash) instead of SIGTERM (graceful). Default true. */
  crash?: boolean;
  /** Start again right away (default true). */
  start?: boolean;
  /** Env overrides from this start on (e.g. another WXPAY_SIGN_TYPE), kept for later restarts. */
  env?: Readonly<Record<string, string>>;
}

/** The whole system as real processes: the emulator and the BFF, on SQLite in a temp dir or a fresh PostgreSQL database. */
export interface Stack {
  readonly dir: string;
  readonly databaseKind: TestDatabaseBackend;
  /** The SQLite file (only meaningful when databaseKind is sqlite). */
  readonly sqlitePath: string;
  /** The BFF's DATABASE_URL when databaseKind is postgres, else null. */
  readonly databaseUrl: string | null;
  readonly emulatorUrl: string;
  /** The emulator's HTTPS listener (`/secapi/*` with the merchant certificate). */
  readonly emulatorSecureUrl: string;
  readonly bffUrl: string;
  readonly emulatorProcess: ManagedProcess;
  readonly bffProcess: ManagedProcess;
  readonly emulator: EmulatorClient;
  /** Anonymous contract client; `login()` gives an authenticated one. */
  readonly api: ContractClient;
  /** wx.login → emulator login code → POST /api/session; returns a client carrying the token. */
  login(openid?: string): Promise<ContractClient>;
  /** Stops (kill -9 by default) and starts the BFF again on the same port and database. */
  restartBff(options?: RestartOptions): Promise<void>;
  startBff(): Promise<void>;
  /** Sets how far the BFF's wall clock runs ahead of real time (absolute, not cumulative). */
  shiftBffClock(offsetMs: number): Promise<void>;
  /** Read-only view of the BFF database (close it when done, or let close() do it). */
  database(): BffDatabase;
  /** Lines at warn (40) or above in the BFF's pino output. */
  bffWarnings(): Record<string, unknown>[];
  close(): Promise<void>;
}

function firstUrl(line: LogLine): string | null {
  const fromJson = line.json?.url;
  if (typeof fromJson === 'string' && /^https?:\/\//.test(fromJson)) return fromJson.replace(/\/$/, '');
  const match = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+/.exec(line.text);
  return match ? match[0] : null;
}

async function waitForHttp(url: string, process: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!process.running) throw new Error(`${process.spec.name} exited before ${url} answered\n${process.tail(40)}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${String(response.status)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await delay(100);
  }
  throw new Error(`${process.spec.name}: ${url} not ready after ${String(timeoutMs)} ms (${last})\n${process.tail(40)}`);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const name = options.name ?? 'stack';
  const dir = mkdtempSync(join(tmpdir(), `checkout-${name.replace(/[^a-z0-9-]/gi, '-')}-`));
  const sqlitePath = join(dir, 'bff.sqlite');
  const clockFile = join(dir, 'bff-clock-offset');
  writeFileSync(clockFile, '0');
  const opened: BffDatabase[] = [];
  const databaseKind = options.database ?? testDatabaseBackend();
  let postgres: TestDatabase | null = null;
  const entry = (appDir: string): string => {
    if (options.build !== 'production') return join(appDir, 'src/main.ts');
    const built = join(appDir, 'dist/main.js');
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm --filter ./${relative(repoRoot, appDir)} build\` first`);
    return built;
  };

  const emulatorProcess = new ManagedProcess({
    name: `${name}:emulator`,
    entry: entry(emulatorDir),
    cwd: emulatorDir,
    logFile: join(dir, 'emulator.log'),
    env: {
      WXPAY_EMULATOR_HOST: '127.0.0.1',
      WXPAY_EMULATOR_PORT: '0',
      WXPAY_EMULATOR_SECURE_PORT: '0',
      WXPAY_EMULATOR_NOTIFY_TIME_SCALE: String(options.notifyTimeScale ?? 0.001),
      // Retries stay time-scaled, but a correct ack that a loaded CI machine delivers late must
      // not count as a failed delivery (the scaled default would be the 1 s floor).
      WXPAY_EMULATOR_NOTIFY_TIMEOUT_MS: '30000',
      ...options.emulatorEnv,
    },
  });

  let bffProcess: ManagedProcess | null = null;
  const stopAll = async (): Promise<void> => {
    for (const db of opened.splice(0)) db.close();
    await Promise.all([bffProcess?.stop(10_000), emulatorProcess.stop(5_000)]);
    await postgres?.release();
    postgres = null;
  };

  try {
    // One database for the stack's life: a restarted BFF finds its data again.
    if (databaseKind === 'postgres') postgres = await provideTestDatabase('stack');
    const databaseUrl = postgres?.url ?? null;
    emulatorProcess.start();
    const emulatorLine = await emulatorProcess.waitForLine((line) => firstUrl(line) !== null, { timeoutMs: 30_000, description: 'the emulator URL' });
    const emulatorUrl = firstUrl(emulatorLine) ?? '';
    // `/secapi/*` (refunds) is served on the emulator's HTTPS listener, as WeChat Pay's needs the merchant certificate.
    const secureUrl = typeof emulatorLine.json?.secureUrl === 'string' ? emulatorLine.json.secureUrl : '';
    await waitForHttp(`${emulatorUrl}/__emulator/clock`, emulatorProcess, 20_000);

    // A fixed port (not 0) so a restarted BFF keeps the notify_url the emulator stored. Another
    // process may take the free port before the BFF binds it: then try another one.
    const makeBff = (port: number): ManagedProcess =>
      new ManagedProcess({
        name: `${name}:bff`,
        entry: entry(bffDir),
        cwd: bffDir,
        logFile: join(dir, 'bff.log'),
        preloads: options.bffClockShifter === false ? [] : [clockShift],
        ...(options.bffNodeArgs === undefined ? {} : { nodeArgs: options.bffNodeArgs }),
        env: {
          HOST: '127.0.0.1',
          PORT: String(port),
          SQLITE_PATH: sqlitePath,
          ...(databaseUrl === null ? {} : { DATABASE_URL: databaseUrl }),
          WXPAY_MCH_BASE_URL: emulatorUrl,
          WXPAY_SECAPI_BASE_URL: secureUrl,
          WXPAY_API_BASE_URL: emulatorUrl,
          WXPAY_NOTIFY_URL: `http://127.0.0.1:${String(port)}/wxpay/notify`,
          WXPAY_RETRY_BASE_MS: '20',
          WXPAY_TIMEOUT_MS: '3000',
          RATE_LIMIT_MAX: '1000000',
          // Suites log in from one address far more often than a buyer; the flood suite sets its own.
          LOGIN_RATE_LIMIT_MAX: '1000000',
          LOGIN_BUDGET_MAX: '1000000',
          // Reconciliation passes would fetch bills at arbitrary moments of a suite: suites run it on demand.
          RECONCILIATION_ENABLED: '0',
          LOG_LEVEL: 'info',
          HARNESS_CLOCK_FILE: clockFile,
          ...options.bffEnv,
        },
      });

    // A restarted BFF keeps its clock shift (read by the preload at start).
    let clockOffset = 0;
    let envOverrides: Readonly<Record<string, string>> = {};
    let bff = makeBff(await findFreePort());
    let bffUrl = '';
    const startBff = async (): Promise<void> => {
      bff.start({ ...envOverrides, HARNESS_CLOCK_OFFSET_MS: String(clockOffset) });
      // Readiness by /readyz on the known port: the "listening" line is info level, which a
      // suite may silence with LOG_LEVEL=warn.
      await waitForHttp(`${bffUrl}/readyz`, bff, 45_000);
    };
    for (let attempt = 1; ; attempt += 1) {
      bffProcess = bff;
      bffUrl = `http://127.0.0.1:${bff.spec.env.PORT ?? ''}`;
      try {
        await startBff();
        break;
      } catch (error) {
        const portTaken = bff.lines.some((line) => line.text.includes('EADDRINUSE'));
        if (!portTaken || attempt >= 3) throw error;
        await bff.stop(5_000);
        bff = makeBff(await findFreePort());
      }
    }

    const emulator = new EmulatorClient(emulatorUrl, options.bffEnv?.WXPAY_APP_ID ?? devMerchant.appId);
    const api = new ContractClient(bffUrl);

    return {
      dir,
      databaseKind,
      sqlitePath,
      databaseUrl,
      emulatorUrl,
      emulatorSecureUrl: secureUrl,
      bffUrl,
      emulatorProcess,
      bffProcess: bff,
      emulator,
      api,
      async login(openid) {
        const code = await emulator.issueLoginCode(openid);
        const session = expectOk(await api.createSession(code));
        return api.withToken(session.token);
      },
      async restartBff(restart = {}) {
        if (restart.crash ?? true) await bff.kill9();
        else await bff.stop(10_000);
        if (restart.env) envOverrides = { ...envOverrides, ...restart.env };
        if (restart.start ?? true) await startBff();
      },
      startBff,
      async shiftBffClock(offsetMs) {
        if (options.bffClockShifter === false) throw new Error('shiftBffClock: this stack was started with bffClockShifter: false');
        clockOffset = offsetMs;
        writeFileSync(clockFile, String(offsetMs));
        const from = bff.nextSeq;
        bff.signal('SIGUSR2');
        await bff.waitForLine((line) => line.json?.harness === 'clock-shift' && line.json.offsetMs === offsetMs, {
          timeoutMs: 10_000,
          description: `clock shift to ${String(offsetMs)} ms`,
          fromSeq: from,
        });
      },
      database() {
        const db = new BffDatabase(databaseUrl === null ? { kind: 'sqlite', path: sqlitePath } : { kind: 'postgres', url: databaseUrl });
        opened.push(db);
        return db;
      },
      bffWarnings() {
        return bff.jsonLogs(40);
      },
      async close() {
        await stopAll();
        if (process.env.HARNESS_KEEP_DIRS !== '1') rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
