// A real WeChat Pay emulator and a real BFF (temp SQLite, port 0) for the miniapp's tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, startBff, type RunningBff } from '@checkout/bff';
import { createEmulator, type Emulator, type RunningEmulator } from '@checkout/wxpay-emulator';

export interface TestStack {
  emulator: Emulator;
  emulatorServer: RunningEmulator;
  bff: RunningBff;
  close(): Promise<void>;
}

export async function startTestStack(): Promise<TestStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'miniapp-test-'));
  // Retries in milliseconds, but a generous answer timeout: on a loaded CI machine a correct ack
  // can take over a second, and counting it as failed would only add noise.
  const emulator = createEmulator({ notifyTimeScale: 0.001, notifyTimeoutMs: 30_000 });
  const emulatorServer = await emulator.listen(0, '127.0.0.1');
  let bff: RunningBff;
  try {
    bff = await startBff(
      loadConfig({
        PORT: '0',
        SQLITE_PATH: path.join(dir, 'bff.sqlite'),
        WXPAY_MCH_BASE_URL: emulatorServer.url,
        WXPAY_API_BASE_URL: emulatorServer.url,
        WXPAY_TIMEOUT_MS: '5000',
        SWEEPER_ENABLED: '0',
        LOG_LEVEL: 'warn',
        // The H5 tests reach the BFF through the static server's proxy, all from one host.
        RATE_LIMIT_MAX: '100000',
        LOGIN_RATE_LIMIT_MAX: '100000',
      }),
      {
        clock: { now: () => emulator.control.now() },
        logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
      },
    );
  } catch (error) {
    await emulatorServer.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    emulator,
    emulatorServer,
    bff,
    async close() {
      await bff.close();
      await emulatorServer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
