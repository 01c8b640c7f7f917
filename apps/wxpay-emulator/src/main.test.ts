import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { devMerchant, devTls } from '@checkout/protocol/testing';
import { loadMerchantsConfig } from './state/merchants-config';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-emulator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(): string {
  writeFileSync(join(dir, 'platform-private.pem'), devMerchant.platformPrivateKeyPem);
  writeFileSync(join(dir, 'apiclient_cert.pem'), devTls.otherMerchantCertPem);
  const path = join(dir, 'merchants.json');
  writeFileSync(
    path,
    JSON.stringify({
      merchants: [
        {
          appId: 'wxcfg0000000000001',
          mchId: '1900000555',
          apiKey: 'cfgapikey0000000000000000000001x',
          appSecret: 'cfgsecret',
          merchantPublicKeyPem: devMerchant.merchantPublicKeyPem,
          platformPublicKeyId: devMerchant.platformPublicKeyId,
          platformPrivateKeyFile: 'platform-private.pem',
          apiClientCertFile: 'apiclient_cert.pem',
          refundNotifyUrl: 'https://shop.example/wxpay/refund-notify',
          govSubsidy: { allowedRegionCodes: [310100] },
        },
      ],
    }),
  );
  return path;
}

describe('merchants config file', () => {
  it('loads merchants with key files relative to the config', () => {
    const [merchant] = loadMerchantsConfig(writeConfig());
    expect(merchant).toMatchObject({
      mchId: '1900000555',
      platformPrivateKeyPem: devMerchant.platformPrivateKeyPem,
      apiClientCertPem: devTls.otherMerchantCertPem,
      refundNotifyUrl: 'https://shop.example/wxpay/refund-notify',
      govSubsidy: { allowedRegionCodes: [310100] },
    });
  });

  it('names the file and field on errors, never a key', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ merchants: [{ appId: 'wx1', mchId: '1', apiKey: 'secretvalue', extra: true }] }));
    expect(() => loadMerchantsConfig(bad)).toThrow(/bad\.json/);
    expect(() => loadMerchantsConfig(bad)).not.toThrow(/secretvalue/);
    expect(() => loadMerchantsConfig(join(dir, 'missing.json'))).toThrow(/cannot read merchants config/);
    // A syntax error right at a key (unquoted value) must not echo the text around it.
    const unquoted = join(dir, 'unquoted.json');
    writeFileSync(unquoted, '{"merchants":[{"appId":"wx1","mchId":"1","apiKey":secretvalue0123456789}]}');
    expect(() => loadMerchantsConfig(unquoted)).toThrow(/unquoted\.json is not valid JSON/);
    expect(() => loadMerchantsConfig(unquoted)).not.toThrow(/secret/);
  });
});

describe('the program (src/main.ts)', () => {
  it('starts on the configured port with the config file, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--port', '0', '--secure-port', '0'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, WXPAY_EMULATOR_CONFIG: writeConfig(), WXPAY_EMULATOR_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines: Record<string, unknown>[] = [];
    const listening = new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        if (parsed.msg === 'listening') {
          expect(String(parsed.secureUrl)).toMatch(/^https:\/\/127.0.0.1:\d+$/);
          resolve(String(parsed.url));
        }
      });
      child.on('exit', () => reject(new Error('exited before listening')));
    });
    try {
      const url = await listening;
      const query = new URLSearchParams({ appid: 'wxcfg0000000000001', secret: 'cfgsecret', js_code: 'x', grant_type: 'authorization_code' });
      expect(await (await fetch(`${url}/sns/jscode2session?${query.toString()}`)).json()).toMatchObject({ errcode: 40029 });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(lines.map((l) => l.msg)).toContain('stopped');
      expect(JSON.stringify(lines)).not.toContain('cfgapikey');
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
