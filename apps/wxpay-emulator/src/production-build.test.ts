import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';

const appDir = join(import.meta.dirname, '..');
// Inside the app, so the bundle's bare imports resolve from this app's node_modules as dist/ does.
const outdir = join('test-output', `production-build-${String(process.pid)}`);

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

// The production artifact, built from the current source by build.ts (the `build` task) and run
// as `node main.js`: no tsx, no TypeScript at run time.
describe('the production build (node dist/main.js)', () => {
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    const build = spawn(process.execPath, ['--import', 'tsx', 'build.ts', outdir], { cwd: appDir, stdio: ['ignore', 'inherit', 'inherit'] });
    expect(await exitCode(build)).toBe(0);
  }, 60_000);
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(join(appDir, outdir), { recursive: true, force: true });
  });

  it('is plain JavaScript with a source map and no name helpers', () => {
    const bundle = readFileSync(join(appDir, outdir, 'main.js'), 'utf8');
    expect(bundle).toContain('//# sourceMappingURL=main.js.map');
    expect(bundle).not.toContain('__name(');
    expect(bundle).not.toContain('@checkout/');
  });

  it('serves the dev merchant (keys shipped with the bundle) and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(outdir, 'main.js'), '--port', '0'], {
      cwd: appDir,
      env: { ...process.env, WXPAY_EMULATOR_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const exited = exitCode(child);
    const messages: string[] = [];
    const listening = new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        messages.push(entry.msg ?? '');
        if (entry.msg === 'listening') resolve(entry.url ?? '');
      });
      child.once('exit', () => reject(new Error(`exited before listening: ${messages.join(', ')}`)));
    });
    const url = await listening;
    // devMerchant reads its PEM files at import: answering at all proves dist/keys shipped.
    const query = new URLSearchParams({ appid: devMerchant.appId, secret: devMerchant.appSecret, js_code: 'unknown-code', grant_type: 'authorization_code' });
    expect(await (await fetch(`${url}/sns/jscode2session?${query.toString()}`)).json()).toMatchObject({ errcode: 40029 });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(messages).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  }, 60_000);
});
