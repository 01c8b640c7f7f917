import { afterEach, describe, expect, it } from 'vitest';
import { devMerchant, officialVectors } from '@checkout/protocol/testing';
import { buildNotifyAck, buildUnifiedOrderRequest, parsePayNotification, parseUnifiedOrderResponse, parseXml, type V2Merchant } from '@checkout/protocol/wxpay';
import { NOTIFY_RETRY_SCHEDULE_SECONDS } from './notifier';
import { hmacMerchant, independentV2Sign, md5Merchant, orderInput, post, startEmulator, startReceiver, type NotifyReceiver, type TestEmulator } from '../testing/test-fixtures';

const FAIL_ACK = '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[busy]]></return_msg></xml>';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function setup(options: Parameters<typeof startEmulator>[0], answer: Parameters<typeof startReceiver>[0]): Promise<{ emu: TestEmulator; receiver: NotifyReceiver }> {
  const emu = await startEmulator(options);
  const receiver = await startReceiver(answer);
  cleanup.push(() => emu.close(), () => receiver.close());
  return { emu, receiver };
}

async function paidOrder(emu: TestEmulator, receiver: NotifyReceiver, merchant: V2Merchant = md5Merchant): Promise<string> {
  const input = orderInput({ notifyUrl: receiver.url, attach: 'a&b<c>' });
  parseUnifiedOrderResponse((await post(`${emu.url}/pay/unifiedorder`, buildUnifiedOrderRequest(input, merchant, 'n').xml)).text, merchant);
  emu.control.payOrder(input.outTradeNo);
  return input.outTradeNo;
}

describe('pay-result notifications', () => {
  it('uses the official retry schedule', () => {
    expect(NOTIFY_RETRY_SCHEDULE_SECONDS).toEqual(officialVectors.notifyRetryScheduleSeconds);
  });

  it('has an independent signature check that reproduces the official vectors', () => {
    const v = officialVectors.v2Sign;
    expect(independentV2Sign(v.params, v.key, 'MD5')).toBe(v.MD5);
    expect(independentV2Sign(v.params, v.key, 'HMAC-SHA256')).toBe(v['HMAC-SHA256']);
  });

  it('posts a signed notification that verifies and matches the order', async () => {
    const { emu, receiver } = await setup({ notifyTimeScale: 0.001 }, () => ({ body: buildNotifyAck() }));
    const outTradeNo = await paidOrder(emu, receiver);
    const [delivery] = await emu.control.waitForDeliveries((d) => d.outTradeNo === outTradeNo, 5000);
    expect(delivery).toMatchObject({ attempt: 1, copy: 0, status: 200, acked: true, scheduledDelayMs: 0 });
    const order = emu.control.order(outTradeNo);
    const notification = parsePayNotification(receiver.bodies[0] ?? '', { apiKey: devMerchant.apiKey });
    expect(notification).toMatchObject({
      outcome: 'SUCCESS',
      appId: devMerchant.appId,
      mchId: devMerchant.mchId,
      outTradeNo,
      totalFee: 1999,
      cashFee: 1999,
      transactionId: order?.transactionId,
      timeEnd: order?.timeEnd,
      signType: 'MD5',
    });
    expect(notification.fields.attach).toBe('a&b<c>');
    // Checked against a signer that shares no code with the emulator's.
    expect(notification.fields.sign).toBe(independentV2Sign(notification.fields, devMerchant.apiKey, 'MD5'));
  });

  it('retries after FAIL answers at the scaled schedule offsets, and stops at the SUCCESS ack', async () => {
    const scale = 0.001;
    const { emu, receiver } = await setup({ notifyTimeScale: scale }, (n) => ({ body: n < 2 ? FAIL_ACK : buildNotifyAck() }));
    const outTradeNo = await paidOrder(emu, receiver);
    const deliveries = await emu.control.waitForDeliveries((d) => d.outTradeNo === outTradeNo && d.acked, 10_000);
    const all = emu.control.deliveries().filter((d) => d.outTradeNo === outTradeNo);
    expect(deliveries).toHaveLength(1);
    expect(all.map((d) => [d.attempt, d.acked, d.scheduledDelayMs])).toEqual([
      [1, false, 0],
      [2, false, 15_000 * scale],
      [3, true, 15_000 * scale],
    ]);
    expect(all[0]?.body).toBe(FAIL_ACK);
    expect(receiver.bodies).toHaveLength(3);
    // every attempt carries the same signed notification
    expect(new Set(receiver.bodies).size).toBe(1);
  });

  it('runs the whole 15-retry schedule when never acknowledged, HTTP errors included', async () => {
    const scale = 0.00001;
    const { emu, receiver } = await setup({ notifyTimeScale: scale }, (n) => (n % 2 === 0 ? { status: 500, body: 'oops' } : { body: 'success' }));
    const outTradeNo = await paidOrder(emu, receiver);
    const all = await emu.control.waitForDeliveries((d) => d.outTradeNo === outTradeNo, 20_000, 16);
    expect(all.map((d) => d.attempt)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(all.every((d) => !d.acked)).toBe(true);
    expect(all.slice(1).map((d) => d.scheduledDelayMs)).toEqual(officialVectors.notifyRetryScheduleSeconds.map((s) => s * 1000 * scale));
  });

  it('counts an answer after the timeout as a failure', async () => {
    const { emu, receiver } = await setup({ notifyTimeScale: 0.001, notifyTimeoutMs: 100 }, (n) => ({ body: buildNotifyAck(), ...(n === 0 ? { delayMs: 2000 } : {}) }));
    const outTradeNo = await paidOrder(emu, receiver);
    const [acked] = await emu.control.waitForDeliveries((d) => d.outTradeNo === outTradeNo && d.acked, 10_000);
    const first = emu.control.deliveries()[0];
    expect(first).toMatchObject({ attempt: 1, acked: false, status: null });
    expect(first?.error).toContain('100 ms');
    expect(acked?.attempt).toBe(2);
  });

  it('takes any well-formed return_code SUCCESS answer as the ack by default; only the exact one with strictAck', async () => {
    const loose = '<?xml version="1.0"?>\n<xml>\n  <return_code>SUCCESS</return_code>\n</xml>';
    const { emu, receiver } = await setup({ notifyTimeScale: 0.001 }, () => ({ body: loose }));
    const lenient = await paidOrder(emu, receiver);
    const [first] = await emu.control.waitForDeliveries((d) => d.outTradeNo === lenient, 5000);
    expect(first?.acked).toBe(true);
    emu.control.reset();
    emu.control.setNotifyOptions({ strictAck: true });
    const strict = await paidOrder(emu, receiver);
    const [second] = await emu.control.waitForDeliveries((d) => d.outTradeNo === strict, 5000);
    expect(second?.acked).toBe(false);
  });

  it('delivers N duplicate copies concurrently when asked', async () => {
    const { emu, receiver } = await setup({ notifyTimeScale: 0.001, notifyOptions: { duplicates: 3 } }, () => ({ body: buildNotifyAck() }));
    const outTradeNo = await paidOrder(emu, receiver);
    const copies = await emu.control.waitForDeliveries((d) => d.outTradeNo === outTradeNo, 5000, 3);
    expect(copies.map((d) => d.copy).sort()).toEqual([0, 1, 2]);
    expect(copies.every((d) => d.attempt === 1 && d.acked)).toBe(true);
    expect(receiver.bodies).toHaveLength(3);
  });

  it('signs HMAC-SHA256 notifications with sign_type, or without it when omitSignType is set', async () => {
    const { emu, receiver } = await setup({ notifyTimeScale: 0.001 }, () => ({ body: buildNotifyAck() }));
    await paidOrder(emu, receiver, hmacMerchant);
    await emu.control.waitForDeliveries(() => true, 5000);
    const first = parseXml(receiver.bodies[0] ?? '');
    expect(first.sign_type).toBe('HMAC-SHA256');
    expect(first.sign).toBe(independentV2Sign(first, devMerchant.apiKey, 'HMAC-SHA256'));
    emu.control.setNotifyOptions({ omitSignType: true });
    const second = await paidOrder(emu, receiver, hmacMerchant);
    await emu.control.waitForDeliveries((d) => d.outTradeNo === second, 5000);
    const body = receiver.bodies[1] ?? '';
    expect(parseXml(body).sign_type).toBeUndefined();
    expect(parsePayNotification(body, { apiKey: devMerchant.apiKey }).signType).toBe('HMAC-SHA256');
    expect(parseXml(body).sign).toBe(independentV2Sign(parseXml(body), devMerchant.apiKey, 'HMAC-SHA256'));
  });

  it('notifies result_code FAIL on a failed payment only when notifyOnFailure is set', async () => {
    const { emu, receiver } = await setup({ notifyTimeScale: 0.001, notifyOptions: { notifyOnFailure: true } }, () => ({ body: buildNotifyAck() }));
    const input = orderInput({ notifyUrl: receiver.url });
    parseUnifiedOrderResponse((await post(`${emu.url}/pay/unifiedorder`, buildUnifiedOrderRequest(input, md5Merchant, 'n').xml)).text, md5Merchant);
    emu.control.failOrder(input.outTradeNo);
    await emu.control.waitForDeliveries((d) => d.outTradeNo === input.outTradeNo, 5000);
    expect(parsePayNotification(receiver.bodies[0] ?? '', { apiKey: devMerchant.apiKey })).toMatchObject({ outcome: 'FAIL', errCode: 'PAYERROR' });
  });

  it('waitForDeliveries rejects with WAIT_TIMEOUT', async () => {
    const { emu } = await setup({}, () => ({ body: '' }));
    await expect(emu.control.waitForDeliveries(() => true, 20)).rejects.toMatchObject({ code: 'WAIT_TIMEOUT' });
  });
});
