import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import { miniProgramOriginalId } from '../control';
import type { EmulatorOrder } from '../emulator-types';
import { newOutTradeNo, startEmulator, type TestEmulator } from '../testing/test-fixtures';
import { messagePushSignature } from './message-push';

const TOKEN = 'PushToken123';

/** The receiver's own check, written from the doc (not the emulator's function): sha1 of the sorted three. */
function receiverSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

interface Received {
  method: string;
  query: URLSearchParams;
  body: string;
  signatureOk: boolean;
}

/** A tiny mini-program message-push receiver: verifies the signature, answers `success` or the echostr. */
async function startPushReceiver(token: string): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const signatureOk = query.get('signature') === receiverSignature(token, query.get('timestamp') ?? '', query.get('nonce') ?? '');
      received.push({ method: req.method ?? '', query, body: Buffer.concat(chunks).toString('utf8'), signatureOk });
      if (!signatureOk) {
        res.writeHead(401).end('bad signature');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(req.method === 'GET' ? (query.get('echostr') ?? '') : 'success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wx/push`,
    received,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

let emu: TestEmulator;
let receiver: Awaited<ReturnType<typeof startPushReceiver>>;
beforeAll(async () => {
  emu = await startEmulator({ frozenClock: true, startTime: new Date('2025-06-01T02:00:00Z') });
  receiver = await startPushReceiver(TOKEN);
});
afterAll(async () => {
  await emu.close();
  await receiver.close();
});
beforeEach(() => {
  emu.control.reset();
  receiver.received.length = 0;
});

async function shippedOrder(): Promise<EmulatorOrder & { transactionId: string }> {
  const outTradeNo = newOutTradeNo();
  emu.control.seedOrder({ outTradeNo, totalFee: 500, openid: 'oBuyer00000000000000000001' });
  const order = emu.control.payOrder(outTradeNo) as EmulatorOrder & { transactionId: string };
  const tokenAnswer = await fetch(`${emu.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: devMerchant.appId, secret: devMerchant.appSecret }) });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  const answer = await fetch(`${emu.url}/wxa/sec/order/upload_shipping_info?access_token=${token}`, {
    method: 'POST',
    body: JSON.stringify({
      order_key: { order_number_type: 2, transaction_id: order.transactionId },
      logistics_type: 3,
      delivery_mode: 1,
      shipping_list: [{ item_desc: '电子券' }],
      upload_time: '2025-06-01T10:00:00+08:00',
      payer: { openid: order.openid },
    }),
  });
  expect(await answer.json()).toEqual({ errcode: 0, errmsg: 'ok' });
  return order;
}

describe('mini-program message push', () => {
  it('signs like the official example (Token AAAAA)', () => {
    expect(messagePushSignature('AAAAA', '1714036504', '1514711492')).toBe('f464b24fc39322e44b38aa78f5edd27bd1441696');
  });

  it('pushes trade_manage_order_settlement on confirm-receipt, signed with the Token, JSON body', async () => {
    const set = await fetch(`${emu.url}/__emulator/message-push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url, token: TOKEN }) });
    expect(set.status).toBe(200);
    const order = await shippedOrder();
    const confirmed = await fetch(`${emu.url}/__emulator/shipping/${order.transactionId}/confirm-receipt`, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(receiver.received).toHaveLength(1);
    const push = receiver.received[0];
    expect(push).toMatchObject({ method: 'POST', signatureOk: true });
    expect(push?.query.get('timestamp')).toBe(String(Math.floor(emu.control.now().getTime() / 1000)));
    const body = JSON.parse(push?.body ?? '') as Record<string, unknown>;
    const now = Math.floor(emu.control.now().getTime() / 1000);
    expect(body).toEqual({
      ToUserName: miniProgramOriginalId(devMerchant.appId),
      FromUserName: 'oBuyer00000000000000000001',
      CreateTime: now,
      MsgType: 'event',
      Event: 'trade_manage_order_settlement',
      transaction_id: order.transactionId,
      merchant_id: devMerchant.mchId,
      sub_merchant_id: '',
      merchant_trade_no: order.outTradeNo,
      pay_time: now,
      msg: expect.any(String) as string,
      shipped_time: Math.floor(Date.parse('2025-06-01T10:00:00+08:00') / 1000),
      confirm_receive_method: 1,
      confirm_receive_time: now,
      settlement_time: now,
    });
    const pushes = emu.control.messagePushes();
    expect(pushes).toEqual([expect.objectContaining({ event: 'trade_manage_order_settlement', transactionId: order.transactionId, status: 200, acked: true })]);
  });

  it('sends confirm_receive_method 2 for an automatic confirmation; pushes nothing without a target', async () => {
    const quiet = await shippedOrder();
    await emu.control.confirmReceipt(quiet.transactionId);
    expect(receiver.received).toHaveLength(0);
    emu.control.setMessagePush({ url: receiver.url, token: TOKEN });
    const order = await shippedOrder();
    await emu.control.confirmReceipt(order.transactionId, { method: 'auto' });
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toMatchObject({ confirm_receive_method: 2 });
  });

  it('records a receiver that refuses the signature as not acked', async () => {
    emu.control.setMessagePush({ url: receiver.url, token: 'WrongToken' });
    const order = await shippedOrder();
    await emu.control.confirmReceipt(order.transactionId);
    expect(receiver.received[0]?.signatureOk).toBe(false);
    expect(emu.control.messagePushes()[0]).toMatchObject({ status: 401, acked: false });
  });

  it('verify: true runs the echostr handshake before saving the URL', async () => {
    const ok = await fetch(`${emu.url}/__emulator/message-push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url, token: TOKEN, verify: true }) });
    expect(ok.status).toBe(200);
    expect(receiver.received[0]).toMatchObject({ method: 'GET', signatureOk: true });
    expect(receiver.received[0]?.query.get('echostr')).toMatch(/^\d+$/);
    const bad = await fetch(`${emu.url}/__emulator/message-push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url, token: 'OtherToken', verify: true }) });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: 'VERIFY_FAILED' });
  });
});
