import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type RunningEmulator } from '@checkout/wxpay-emulator';
import { formatWxPayTime } from '@checkout/protocol/wxpay';
import { ProviderUnavailableError } from '../domain/domain-error';
import { createXmlPost } from './xml-post';
import { WxPayV2Gateway } from './wxpay-v2-gateway';
import { devGatewayConfig } from '../../test-support/gateway-config';

describe('createXmlPost (the gateway transport: keep-alive node:http)', () => {
  let server: Server;
  let base = '';
  const sockets = new Set<unknown>();
  const received: { body: string; contentType: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      sockets.add(req.socket);
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ body, contentType: req.headers['content-type'] });
        if (req.url === '/silent') return; // never answers
        if (req.url === '/huge') {
          res.end('x'.repeat(2 * 1024 * 1024));
          return;
        }
        if (req.url === '/reset') {
          req.socket.destroy();
          return;
        }
        res.statusCode = req.url === '/fail' ? 500 : 200;
        res.end(`\uFEFF<xml><echo>${body}</echo></xml>`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the exact UTF-8 bytes as text/xml and returns status and body (BOM dropped, like fetch)', async () => {
    const post = createXmlPost();
    const answer = await post(`${base}/ok`, '<xml>商品</xml>', 2000);
    expect(answer).toEqual({ status: 200, body: '<xml><echo><xml>商品</xml></echo></xml>' });
    expect(received.at(-1)).toEqual({ body: '<xml>商品</xml>', contentType: 'text/xml; charset=utf-8' });
    expect((await post(`${base}/fail`, '<xml/>', 2000)).status).toBe(500);
  });

  it('reuses one connection for consecutive calls', async () => {
    const post = createXmlPost();
    const before = sockets.size;
    for (let i = 0; i < 5; i += 1) await post(`${base}/ok`, `<xml>${String(i)}</xml>`, 2000);
    expect(sockets.size - before).toBe(1);
  });

  it('rejects with a TimeoutError when no complete answer comes in time', async () => {
    const post = createXmlPost();
    await expect(post(`${base}/silent`, '<xml/>', 150)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects an oversize answer, a reset connection and a refused connection', async () => {
    const post = createXmlPost();
    await expect(post(`${base}/huge`, '<xml/>', 5000)).rejects.toThrow(/larger than/);
    await expect(post(`${base}/reset`, '<xml/>', 5000)).rejects.toThrow();
    await expect(post('http://127.0.0.1:1/pay/unifiedorder', '<xml/>', 5000)).rejects.toThrow();
  });
});

describe('WxPayV2Gateway on its default transport, against the real emulator', () => {
  const emulator = createEmulator({ notifyTimeScale: 0.001 });
  let running: RunningEmulator;
  let gateway: WxPayV2Gateway;
  let nonce = 0;
  beforeAll(async () => {
    running = await emulator.listen(0, '127.0.0.1');
    gateway = new WxPayV2Gateway(
      devGatewayConfig(running, { timeoutMs: 2000 }),
      { clock: { now }, ids: { nonceStr: () => `nonce${String((nonce += 1))}` } },
    );
  });
  afterAll(() => running.close());

  const now = (): Date => emulator.control.now();
  const params = () => ({
    body: 'shop-kettle',
    totalFee: 1,
    spbillCreateIp: '127.0.0.1',
    notifyUrl: 'https://example.com/wxpay/notify',
    openid: 'oUser000000000000000000000001',
    timeStart: formatWxPayTime(now()),
    timeExpire: formatWxPayTime(new Date(now().getTime() + 15 * 60_000)),
  });

  it('gets a verified prepay_id', async () => {
    const { prepayId } = await gateway.unifiedOrder({ outTradeNo: 'XMLPOST0000000000000001', signType: 'HMAC-SHA256', params: params() });
    expect(prepayId).toMatch(/^wx/);
  });

  it('retries dropped connections and gives up after maxAttempts', async () => {
    // The dropped attempts were processed (the emulator knows the order): the retry must repeat
    // the same parameters, as the BFF does from the stored ones. Fresh ones would differ in
    // time_start whenever a second boundary fell between the calls (商户订单号重复).
    const sameParams = params();
    emulator.control.setFaults('unifiedorder', { dropConnectionRate: 1 });
    try {
      await expect(gateway.unifiedOrder({ outTradeNo: 'XMLPOST0000000000000002', signType: 'HMAC-SHA256', params: sameParams })).rejects.toBeInstanceOf(ProviderUnavailableError);
    } finally {
      emulator.control.clearFaults();
    }
    const { prepayId } = await gateway.unifiedOrder({ outTradeNo: 'XMLPOST0000000000000002', signType: 'HMAC-SHA256', params: sameParams });
    expect(prepayId).toMatch(/^wx/);
  });
});
