// Shared setup for this package's tests: a real emulator on port 0 and small HTTP helpers.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { devMerchant, devTls } from '@checkout/protocol/testing';
import { buildXml, parseXml, type UnifiedOrderInput, type V2Merchant } from '@checkout/protocol/wxpay';
import { createEmulator, type Emulator } from '../create-emulator';
import type { EmulatorOptions } from '../emulator-types';

export interface TestEmulator {
  emulator: Emulator;
  control: Emulator['control'];
  url: string;
  /** The HTTPS listener (dev server certificate). */
  secureUrl: string;
  close: () => Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = createEmulator(options);
  const running = await emulator.listen(0, '127.0.0.1');
  return { emulator, control: emulator.control, url: running.url, secureUrl: running.secureUrl, close: running.close };
}

/** A TLS client identity: a PEM pair or a PKCS#12 file, or none. */
export interface TlsClientIdentity {
  cert?: string;
  key?: string;
  pfx?: Buffer;
  passphrase?: string;
}

export const devMerchantPem: TlsClientIdentity = { cert: devTls.merchantCertPem, key: devTls.merchantKeyPem };
export const otherMerchantPem: TlsClientIdentity = { cert: devTls.otherMerchantCertPem, key: devTls.otherMerchantKeyPem };

/** POST over HTTPS trusting the dev CA, with an optional client certificate; rejects when the connection is closed unanswered. */
export function postTls(url: string, body: string, identity: TlsClientIdentity = {}): Promise<HttpAnswer & { fields: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', ca: devTls.caCertPem, ...identity, agent: false, headers: { 'content-type': 'text/xml' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
        resolve({ status: res.statusCode ?? 0, text, headers, fields: parseXml(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A v2 request body signed by the independent signer (for requests the protocol client would refuse to build). */
export function signedV2Xml(fields: Readonly<Record<string, string>>, merchant: V2Merchant = md5Merchant): string {
  const all: Record<string, string> = { appid: merchant.appId, mch_id: merchant.mchId, nonce_str: 'nonce0001', ...fields };
  if (merchant.signType === 'HMAC-SHA256') all.sign_type = 'HMAC-SHA256';
  return buildXml({ ...all, sign: independentV2Sign(all, merchant.apiKey, merchant.signType) });
}

export const md5Merchant: V2Merchant = { appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey, signType: 'MD5' };
export const hmacMerchant: V2Merchant = { ...md5Merchant, signType: 'HMAC-SHA256' };

let orderSeq = 0;
export function newOutTradeNo(): string {
  orderSeq += 1;
  return `T${Date.now()}${orderSeq}`;
}

export function orderInput(overrides: Partial<UnifiedOrderInput> = {}): UnifiedOrderInput {
  return {
    body: '测试商品',
    outTradeNo: newOutTradeNo(),
    totalFee: 1999,
    spbillCreateIp: '127.0.0.1',
    notifyUrl: 'http://127.0.0.1:9/wxpay/notify',
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    ...overrides,
  };
}

/**
 * A v2 signature computed here with node:crypto from the documented rule, not with the protocol
 * signer the emulator itself uses: a bug shared by both sides would otherwise pass unnoticed.
 * Pinned to the official vector in notify/notifier.test.ts.
 */
export function independentV2Sign(fields: Readonly<Record<string, string>>, key: string, signType: 'MD5' | 'HMAC-SHA256'): string {
  const names = Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `${names.map((name) => `${name}=${fields[name] ?? ''}`).join('&')}&key=${key}`;
  const digest = signType === 'MD5' ? createHash('md5').update(text, 'utf8') : createHmac('sha256', key).update(text, 'utf8');
  return digest.digest('hex').toUpperCase();
}

export interface HttpAnswer {
  status: number;
  text: string;
  headers: Headers;
}

export async function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/xml', ...headers } });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** POST XML to a v2 endpoint and parse the answer (which must always be XML). */
export async function postV2(url: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<HttpAnswer & { fields: Record<string, string> }> {
  const answer = await post(url, body, headers);
  return { ...answer, fields: parseXml(answer.text) };
}

export interface NotifyReceiver {
  url: string;
  bodies: string[];
  close: () => Promise<void>;
}

/** A notify_url server; `answer(n)` gives the n-th (0-based) response. */
export async function startReceiver(answer: (n: number, body: string) => { status?: number; body: string; delayMs?: number }): Promise<NotifyReceiver> {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = bodies.length;
      bodies.push(body);
      const reply = answer(n, body);
      const send = (): void => {
        res.writeHead(reply.status ?? 200, { 'content-type': 'text/xml' });
        res.end(reply.body);
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wxpay/notify`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
