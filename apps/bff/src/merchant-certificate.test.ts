import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devTls } from '@checkout/protocol/testing';
import { loadConfig } from './env';
import { loadMerchantCertificate, MerchantCertificateError } from './merchant-certificate';

const dir = mkdtempSync(join(tmpdir(), 'merchant-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const now = new Date('2026-12-03T00:00:00Z');

describe('loadMerchantCertificate', () => {
  it('loads the PEM pair and the .p12 (password = mch_id) and reads the expiry from either', () => {
    const pem = loadMerchantCertificate({ kind: 'pem', certPath: file('cert.pem', devTls.merchantCertPem), keyPath: file('key.pem', devTls.merchantKeyPem) }, now);
    const p12 = loadMerchantCertificate({ kind: 'p12', path: file('cert.p12', devTls.merchantP12), passphrase: devTls.merchantP12Passphrase }, now);
    expect(pem.validTo.getUTCFullYear()).toBeGreaterThan(2100);
    expect(p12.validTo).toEqual(pem.validTo);
  });

  it.each([
    ['a missing file', () => loadMerchantCertificate({ kind: 'pem', certPath: join(dir, 'nope.pem'), keyPath: join(dir, 'nope.key') }, now), /WXPAY_API_CLIENT_CERT_PATH: file cannot be read/],
    ['a wrong .p12 password', () => loadMerchantCertificate({ kind: 'p12', path: file('wrong.p12', devTls.merchantP12), passphrase: 'not-the-mch-id' }, now), /wrong password/],
    ['a key of another certificate', () => loadMerchantCertificate({ kind: 'inline', certPem: devTls.merchantCertPem, keyPem: devTls.otherMerchantKeyPem }, now), /key does not match/],
    ['an expired certificate', () => loadMerchantCertificate({ kind: 'inline', certPem: devTls.merchantCertPem, keyPem: devTls.merchantKeyPem }, new Date('2200-01-01T00:00:00Z')), /expired on 2126-/],
    ['a file that is no certificate', () => loadMerchantCertificate({ kind: 'pem', certPath: file('text.pem', 'hello'), keyPath: file('key2.pem', devTls.merchantKeyPem) }, now), /not a certificate/],
  ])('refuses %s with a message naming the variables, never the content', (_name, load, message) => {
    let caught: unknown;
    try {
      load();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MerchantCertificateError);
    const text = (caught as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(devTls.merchantKeyPem.split('\n')[2] ?? 'KEY');
  });
});

describe('loadConfig: the merchant certificate for /secapi', () => {
  it('defaults to the dev certificate, the emulator HTTPS listener and its CA', () => {
    const config = loadConfig({});
    expect(config.secapi).toMatchObject({ baseUrl: 'https://127.0.0.1:3101', caPem: devTls.caCertPem, devCertificate: true });
  });

  it('takes the PEM pair or the .p12, never both, and fails at startup for a bad one', () => {
    const cert = file('c.pem', devTls.merchantCertPem);
    const key = file('k.pem', devTls.merchantKeyPem);
    expect(loadConfig({ WXPAY_API_CLIENT_CERT_PATH: cert, WXPAY_API_CLIENT_KEY_PATH: key }).secapi.devCertificate).toBe(false);
    expect(loadConfig({ WXPAY_API_CLIENT_P12_PATH: file('p.p12', devTls.merchantP12) }).secapi.devCertificate).toBe(false);
    expect(() => loadConfig({ WXPAY_API_CLIENT_CERT_PATH: cert })).toThrow(/go together/);
    expect(() => loadConfig({ WXPAY_API_CLIENT_CERT_PATH: cert, WXPAY_API_CLIENT_KEY_PATH: key, WXPAY_API_CLIENT_P12_PATH: cert })).toThrow(/not both/);
    expect(() => loadConfig({ WXPAY_API_CLIENT_P12_PATH: file('p2.p12', devTls.merchantP12), WXPAY_API_CLIENT_P12_PASSPHRASE: 'wrong' })).toThrow(/invalid configuration: .*wrong password/);
  });

  it('refuses the dev certificate and the dev CA against the real WeChat Pay host', () => {
    expect(() => loadConfig({ WXPAY_MCH_BASE_URL: 'https://api.mch.weixin.qq.com' })).toThrow(/development certificate/);
  });
});
