import { execFile } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedNotification, devMerchant } from '../src/testing';
import { verifyRequestPayment } from '../src/wxpay';

// The package as a merchant gets it: `pnpm pack` (publishConfig applied), `npm install` of the
// tarball into a fresh project, then ESM, CommonJS and TypeScript consumers and the README example.
const run = promisify(execFile);
const packageDir = join(import.meta.dirname, '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const nodeTypes = join(packageDir, 'node_modules/@types');

// Known answers from WeChat Pay's documentation (also in shared/vectors/official.json).
const checks = `
const vectors = officialVectors;
assert.equal(signV2(vectors.v2Sign.params, vectors.v2Sign.key, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
assert.equal(signV2(vectors.v2Sign.params, vectors.v2Sign.key, 'HMAC-SHA256'), '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
const { appId, timeStamp, nonceStr, package: pkg } = vectors.requestPayment.params;
const pay = buildRequestPayment({ appId, apiKey: vectors.requestPayment.key, prepayId: pkg.slice('prepay_id='.length), signType: 'MD5', timestampSeconds: Number(timeStamp), nonceStr });
assert.equal(pay.paySign, '22D9B4E54AB1950F51E0649E8810ACD6');
const xml = buildSignedNotification({ out_trade_no: 'T1', total_fee: '2300' }, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' });
const paid = parsePayNotification(xml, { apiKey: devMerchant.apiKey });
assert.deepEqual([paid.outcome, paid.outTradeNo, paid.totalFee], ['SUCCESS', 'T1', 2300]);
// An error from one subpath's code is an instance of the other subpath's class: one module graph.
assert.throws(() => parsePayNotification(xml.replace('2300', '2301'), { apiKey: devMerchant.apiKey }), (error) => error instanceof WxPaySignatureError && error instanceof WxPayError && error.code === 'SIGN_INVALID');
assert.equal(buildNotifyAck(), vectors.notificationAck);
assert.equal(fenSchema.safeParse(1.5).success, false);
console.log('consumer ok');
`;
const esmConsumer = `import assert from 'node:assert/strict';
import { buildNotifyAck, buildRequestPayment, parsePayNotification, signV2, WxPayError, WxPaySignatureError } from '@checkout/protocol/wxpay';
import { buildSignedNotification, devMerchant, officialVectors } from '@checkout/protocol/testing';
import { fenSchema } from '@checkout/protocol/contract';
${checks}`;
const cjsConsumer = `const assert = require('node:assert/strict');
const { buildNotifyAck, buildRequestPayment, parsePayNotification, signV2, WxPayError, WxPaySignatureError } = require('@checkout/protocol/wxpay');
const { buildSignedNotification, devMerchant, officialVectors } = require('@checkout/protocol/testing');
const { fenSchema } = require('@checkout/protocol/contract');
${checks}`;
// Typed use: wrong types must be errors (an \`any\` from a missing declaration would pass silently).
const tsConsumer = `import { buildRequestPayment, parsePayNotification, type PayNotification, type RequestPaymentParams } from '@checkout/protocol/wxpay';
import { govSubsidySyncRequestSchema, encryptOaep } from '@checkout/protocol/wxpay';
import { createOrderRequestSchema, type CreateOrderRequest } from '@checkout/protocol/contract';
import { devMerchant, testKeys } from '@checkout/protocol/testing';

export const notification: PayNotification = parsePayNotification('<xml/>', { apiKey: devMerchant.apiKey });
export const fee: number = notification.totalFee;
// @ts-expect-error totalFee is a number of fen
export const wrong: string = notification.totalFee;
export const params: RequestPaymentParams = buildRequestPayment({ appId: 'wx1', apiKey: devMerchant.apiKey, prepayId: 'wx1', signType: 'MD5', timestampSeconds: 1, nonceStr: 'n' });
// @ts-expect-error signType is 'MD5' | 'HMAC-SHA256'
buildRequestPayment({ appId: 'wx1', apiKey: 'k', prepayId: 'wx1', signType: 'SHA1', timestampSeconds: 1, nonceStr: 'n' });
export const order: CreateOrderRequest = createOrderRequestSchema.parse({});
export const sync = govSubsidySyncRequestSchema.safeParse({});
export const cipher: string = encryptOaep('x', testKeys.platform.publicKey);
`;

function tsconfig(moduleKind: 'node16' | 'preserve', resolution: 'node16' | 'bundler', files: string[]): string {
  return JSON.stringify({
    compilerOptions: { module: moduleKind, moduleResolution: resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [nodeTypes] },
    files,
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('the published package (pnpm pack → npm install)', () => {
  let project: string;
  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'protocol-consumer-'));
    // prepack builds dist from the current source first.
    await run('pnpm', ['pack', '--pack-destination', project], { cwd: packageDir });
    const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('pnpm pack wrote no tarball');
    await run('npm', ['init', '-y'], { cwd: project });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(project, tarball), 'koa@3'], { cwd: project });
  }, 180_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('ships dist, LICENSE and README with an exports map per subpath and fast-xml-parser and zod as the only dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/@checkout/protocol/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: '@checkout/protocol', version: '0.1.0', license: 'MIT' });
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies as object)).toEqual(['fast-xml-parser', 'zod']);
    for (const subpath of ['wxpay', 'contract', 'testing']) {
      expect((manifest.exports as Record<string, unknown>)[`./${subpath}`]).toEqual({
        import: { types: `./dist/${subpath}/index.d.ts`, default: `./dist/${subpath}/index.js` },
        require: { types: `./dist/${subpath}/index.d.cts`, default: `./dist/${subpath}/index.cjs` },
      });
    }
    expect(readFileSync(join(project, 'node_modules/@checkout/protocol/LICENSE'), 'utf8')).toContain('Copyright (c) 2026 the checkout contributors');
    const files = readdirSync(join(project, 'node_modules/@checkout/protocol'), { recursive: true }).map(String);
    expect(files.filter((file) => file.startsWith('src') || file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  it('works from ESM (import)', async () => {
    writeFileSync(join(project, 'consumer.mjs'), esmConsumer);
    expect((await run(process.execPath, ['consumer.mjs'], { cwd: project })).stdout).toBe('consumer ok\n');
  });

  it('works from CommonJS (require)', async () => {
    writeFileSync(join(project, 'consumer.cjs'), cjsConsumer);
    expect((await run(process.execPath, ['consumer.cjs'], { cwd: project })).stdout).toBe('consumer ok\n');
  });

  // Two tsc runs over the packed package: minutes on a loaded 2-core machine (a ceiling, not a speed check).
  it('typechecks with moduleResolution node16 (ESM and CommonJS files) and bundler', async () => {
    for (const name of ['consumer-types.mts', 'consumer-types.cts', 'consumer-types.ts']) writeFileSync(join(project, name), tsConsumer);
    writeFileSync(join(project, 'tsconfig.node16.json'), tsconfig('node16', 'node16', ['consumer-types.mts', 'consumer-types.cts']));
    writeFileSync(join(project, 'tsconfig.bundler.json'), tsconfig('preserve', 'bundler', ['consumer-types.ts']));
    for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
      const result = await run(process.execPath, [tsc, '--noEmit', '-p', config], { cwd: project }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
      expect(result.stdout, config).toBe('');
    }
  }, 240_000);

  it("runs the README's Koa example: acks a signed notification and serves a paySign the WeChat client accepts", async () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    if (example === undefined) throw new Error('README has no js example');
    writeFileSync(join(project, 'readme-example.mjs'), example);
    const port = await freePort();
    const child = spawn(process.execPath, ['readme-example.mjs'], { cwd: project, env: { ...process.env, PORT: String(port), WXPAY_APP_ID: devMerchant.appId, WXPAY_API_KEY: devMerchant.apiKey }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const logged = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('SUCCESS T20260101000000000001 2300\n')) resolve();
      });
    });
    try {
      const base = `http://127.0.0.1:${String(port)}`;
      let answer: Response | undefined;
      // Wait for the listener (no log line in a 10-line example): retry until it accepts.
      for (let attempt = 0; answer === undefined && attempt < 100; attempt += 1) {
        answer = await fetch(`${base}/pay-params?prepay_id=wx201411101639507cbf6ffd8b0779950874`).catch(() => undefined);
        if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const params = (await answer?.json()) as Parameters<typeof verifyRequestPayment>[0];
      expect(() => verifyRequestPayment(params, { appId: devMerchant.appId, apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' })).not.toThrow();

      const xml = buildSignedNotification({ out_trade_no: 'T20260101000000000001', total_fee: '2300' }, { apiKey: devMerchant.apiKey, signType: 'HMAC-SHA256' });
      const ack = await fetch(`${base}/wxpay/notify`, { method: 'POST', body: xml, headers: { 'content-type': 'text/xml' } });
      expect(ack.status).toBe(200);
      expect(await ack.text()).toBe('<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>');
      // The handler read the verified notification (its log line can arrive after the ack).
      await logged;
      const forged = await fetch(`${base}/wxpay/notify`, { method: 'POST', body: xml.replace('2300', '1'), headers: { 'content-type': 'text/xml' } });
      expect(forged.status).toBe(500);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
