import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderPaymentResponseSchema, productListResponseSchema } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';
import { createEmulator, type Emulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import { migrations } from './db/migrations';

const appDir = join(import.meta.dirname, '..');
// Inside the app, so the bundle's bare imports resolve from apps/bff/node_modules as dist/ does.
const outdir = join('test-output', `production-build-${String(process.pid)}`);

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

// The production artifact, built from the current source by build.ts (the `build` task) and run
// as `node main.js`: no tsx, no TypeScript at run time.
describe('the production build (node dist/main.js)', () => {
  let emulator: Emulator;
  let emulatorServer: RunningEmulator;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const build = spawn(process.execPath, ['--import', 'tsx', 'build.ts', outdir], { cwd: appDir, stdio: ['ignore', 'inherit', 'inherit'] });
    expect(await exitCode(build)).toBe(0);
    emulator = createEmulator({ notifyTimeScale: 0.001, notifyTimeoutMs: 30_000 });
    emulatorServer = await emulator.listen(0, '127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'bff-prod-'));
  }, 60_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await emulatorServer.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(appDir, outdir), { recursive: true, force: true });
  });

  it('is plain JavaScript with a source map, database drivers left to node_modules, no name helpers', () => {
    const bundle = readFileSync(join(appDir, outdir, 'main.js'), 'utf8');
    expect(bundle).toContain('//# sourceMappingURL=main.js.map');
    expect(readFileSync(join(appDir, outdir, 'main.js.map'), 'utf8')).toContain('src/main.ts');
    // Native and pooled drivers must be the installed packages, not copies.
    expect(bundle).toMatch(/^import \w+ from "better-sqlite3";$/m);
    expect(bundle).toMatch(/^import \w+ from "pg";$/m);
    expect(bundle).not.toContain('__name(');
    // Workspace packages are inlined: production installs only the app's npm dependencies.
    expect(bundle).not.toContain('@checkout/');
  });

  it('migrates, takes an order and its payment notification, and drains on SIGTERM with exit 0', async () => {
    const sqlitePath = join(dir, 'bff.sqlite');
    const child = spawn(process.execPath, [join(outdir, 'main.js')], {
      cwd: appDir,
      env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: sqlitePath, WXPAY_MCH_BASE_URL: emulatorServer.url, WXPAY_API_BASE_URL: emulatorServer.url, SWEEPER_ENABLED: '0', LOG_LEVEL: 'info' },
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
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
    // The seeded catalog's images come from assets/, found from dist/ (not from src/).
    const { products } = productListResponseSchema.parse(await (await fetch(`${url}/api/products`)).json());
    const aircon = products.find((product) => product.id === 'aircon-1p5');
    expect(aircon?.imageUrl).toBe('/images/products/aircon-1p5.svg');
    const image = await fetch(`${url}${aircon?.imageUrl ?? ''}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
    expect(await image.text()).toBe(readFileSync(join(appDir, 'assets/product-images/aircon-1p5.svg'), 'utf8'));

    const code = emulator.control.issueLoginCode({});
    const session = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(session.status).toBe(200);
    const { token } = (await session.json()) as { token: string };
    const created = await fetch(`${url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ items: [{ productId: 'aircon-1p5', quantity: 1 }] }),
    });
    expect(created.status).toBe(201);
    const { order, payment } = orderPaymentResponseSchema.parse(await created.json());
    // The emulator's cashier checks paySign as the WeChat client does, then notifies the BFF.
    expect((await emulator.control.cashier({ appId: devMerchant.appId, ...payment }, 'pay')).errMsg).toBe('requestPayment:ok');
    await emulator.control.waitForDeliveries((d) => d.outTradeNo === order.outTradeNo && d.acked, 20_000);
    const paid = await fetch(`${url}/api/orders/${order.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await paid.json()).toMatchObject({ order: { id: order.id, status: 'paid' } });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(messages).toEqual(expect.arrayContaining(['shutting down', 'stopped']));

    const db = new BetterSqlite3(sqlitePath, { readonly: true });
    try {
      const applied = db.prepare('select name from kysely_migration order by name').all() as { name: string }[];
      expect(applied.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
    } finally {
      db.close();
    }
  }, 60_000);
});
