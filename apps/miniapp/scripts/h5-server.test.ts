import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenH5Server, type RunningH5Server } from './h5-server';

let root: string;
let upstream: Server;
let upstreamUrl: string;
let h5: RunningH5Server;
const seen: { url: string; host: string; body: string; auth: string }[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'h5-server-'));
  mkdirSync(path.join(root, 'js'));
  writeFileSync(path.join(root, 'index.html'), '<html>app</html>');
  writeFileSync(path.join(root, 'js/app.1234.js'), 'console.log(1)');
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', host: req.headers.host ?? '', body, auth: req.headers.authorization ?? '' });
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Upstream': 'yes' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  h5 = await listenH5Server({ root, bffUrl: upstreamUrl, emulatorUrl: upstreamUrl }, 0, '127.0.0.1');
});

afterAll(async () => {
  await h5.close();
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('H5 dev server', () => {
  it('serves files with a type and long caching, and index.html fresh', async () => {
    const asset = await fetch(`${h5.url}/js/app.1234.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const index = await fetch(`${h5.url}/`);
    expect(await index.text()).toBe('<html>app</html>');
    expect(index.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for client routes (browser-mode router)', async () => {
    const response = await fetch(`${h5.url}/subpackages/result/index?orderId=o1&errMsg=requestPayment%3Aok`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<html>app</html>');
  });

  it('never serves files outside its root', async () => {
    const response = await fetch(`${h5.url}/%2e%2e/%2e%2e/etc/passwd`);
    expect(await response.text()).toBe('<html>app</html>');
  });

  it('proxies /api, /images, /cashier and /__emulator with method, body, query and headers', async () => {
    seen.length = 0;
    const response = await fetch(`${h5.url}/api/orders?limit=5`, { method: 'POST', headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' }, body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect((await fetch(`${h5.url}/images/products/kettle.svg`)).headers.get('x-upstream')).toBe('yes');
    await fetch(`${h5.url}/cashier?appId=wx`);
    await fetch(`${h5.url}/__emulator/login-codes`, { method: 'POST', body: '{}' });
    expect(seen.map((request) => request.url)).toEqual(['/api/orders?limit=5', '/images/products/kettle.svg', '/cashier?appId=wx', '/__emulator/login-codes']);
    expect(seen[0]).toMatchObject({ body: '{"a":1}', auth: 'Bearer t', host: new URL(upstreamUrl).host });
  });

  it('answers 502 with a JSON error when the upstream is down', async () => {
    const down = await listenH5Server({ root, bffUrl: 'http://127.0.0.1:9', emulatorUrl: 'http://127.0.0.1:9' }, 0, '127.0.0.1');
    const response = await fetch(`${down.url}/api/products`);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String) as string } });
    await down.close();
  });
});
