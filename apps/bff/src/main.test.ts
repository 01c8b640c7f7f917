import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '@checkout/wxpay-emulator';
import type { RunningEmulator } from '@checkout/wxpay-emulator';

const mainPath = new URL('./main.ts', import.meta.url).pathname;

describe('main.ts as a child process', () => {
  let emulator: RunningEmulator;
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    emulator = await createEmulator().listen(0, '127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'bff-main-'));
  });
  afterAll(async () => {
    // Never leave a BFF behind, even when an assertion failed mid-test.
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('PORT=0 logs the bound URL, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', mainPath], {
      env: { ...process.env, PORT: '0', SQLITE_PATH: join(dir, 'bff.sqlite'), WXPAY_MCH_BASE_URL: emulator.url, WXPAY_API_BASE_URL: emulator.url, SWEEPER_ENABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    let url: string | undefined;
    for await (const line of lines) {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening') {
        url = entry.url;
        break;
      }
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/readyz`);
    expect(await health.json()).toEqual({ status: 'ready' });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);

  it('refuses to start with dev keys against the real WeChat Pay host', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', mainPath], {
      env: { ...process.env, PORT: '0', SQLITE_PATH: join(dir, 'refused.sqlite'), WXPAY_MCH_BASE_URL: 'https://api.mch.weixin.qq.com' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(1);
    expect(output).toContain('refusing to start');
  }, 30_000);
});
