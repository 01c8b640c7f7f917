import { afterEach, describe, expect, it } from 'vitest';
import { devMerchant, refundReqInfoVectors } from '@checkout/protocol/testing';
import { buildRefundNotifyAck, buildRefundRequest, checkRefundNotificationMatches, parseRefundNotification, parseXml } from '@checkout/protocol/wxpay';
import type { EmulatorOptions } from '../emulator-types';
import { devMerchantPem, md5Merchant, newOutTradeNo, postTls, startEmulator, startReceiver, type NotifyReceiver, type TestEmulator } from '../testing/test-fixtures';
import { encryptReqInfo } from './req-info-cipher';

const FAIL_ACK = '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[busy]]></return_msg></xml>';
/** The decrypted fields of the notification's field table (settlement_total_fee only with coupons). */
const REQ_INFO_FIELDS = [
  'out_refund_no',
  'out_trade_no',
  'refund_account',
  'refund_fee',
  'refund_id',
  'refund_recv_accout',
  'refund_request_source',
  'refund_status',
  'settlement_refund_fee',
  'total_fee',
  'transaction_id',
];

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function setup(options: EmulatorOptions, answer: Parameters<typeof startReceiver>[0]): Promise<{ emu: TestEmulator; receiver: NotifyReceiver }> {
  const emu = await startEmulator({ notifyTimeScale: 0.001, refundMinIntervalMs: 0, ...options });
  const receiver = await startReceiver(answer);
  cleanup.push(() => emu.close(), () => receiver.close());
  return { emu, receiver };
}

let seq = 0;
async function requestRefund(emu: TestEmulator, refundFee: number, notifyUrl?: string): Promise<{ outTradeNo: string; outRefundNo: string }> {
  const { outTradeNo } = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 1000 });
  emu.control.payOrder(outTradeNo);
  const outRefundNo = `RN${Date.now()}${++seq}`;
  const xml = buildRefundRequest({ outTradeNo, outRefundNo, totalFee: 1000, refundFee, ...(notifyUrl === undefined ? {} : { notifyUrl }) }, md5Merchant, 'n1').xml;
  const { fields } = await postTls(`${emu.secureUrl}/secapi/pay/refund`, xml, devMerchantPem);
  expect(fields.result_code).toBe('SUCCESS');
  return { outTradeNo, outRefundNo };
}

describe('req_info encryption', () => {
  it('reproduces the known-answer req_info (OpenSSL over wechatpay-php sample plaintext)', () => {
    const v = refundReqInfoVectors.req_info_full;
    expect(encryptReqInfo(v.plaintext, v.api_v2_key)).toBe(v.req_info);
  });
});

describe('refund-result notifications', () => {
  it('posts the unsigned outer XML whose req_info the protocol package decrypts to the documented fields', async () => {
    const { emu, receiver } = await setup({ refundSettleMs: 10 }, () => ({ body: buildRefundNotifyAck() }));
    const { outTradeNo, outRefundNo } = await requestRefund(emu, 400, undefined);
    expect(emu.control.refund(outRefundNo)?.notifyUrl).toBe('');
    const refund2 = await requestRefund(emu, 250, receiver.url);
    const [delivery] = await emu.control.waitForDeliveries((d) => d.kind === 'refund', 5000);
    expect(delivery).toMatchObject({ kind: 'refund', outRefundNo: refund2.outRefundNo, attempt: 1, acked: true });
    // The first refund had no notify_url and the merchant none configured: never notified.
    expect(emu.control.deliveries().filter((d) => d.outTradeNo === outTradeNo)).toEqual([]);

    const body = receiver.bodies[0] ?? '';
    expect(Object.keys(parseXml(body)).sort()).toEqual(['appid', 'mch_id', 'nonce_str', 'req_info', 'return_code']);
    const notification = parseRefundNotification(body, devMerchant);
    const stored = emu.control.refund(refund2.outRefundNo);
    expect(notification).toMatchObject({
      outTradeNo: refund2.outTradeNo,
      outRefundNo: refund2.outRefundNo,
      refundId: stored?.refundId,
      transactionId: emu.control.order(refund2.outTradeNo)?.transactionId,
      totalFee: 1000,
      refundFee: 250,
      settlementRefundFee: 250,
      refundStatus: 'SUCCESS',
      successTime: stored?.successTime,
      refundRecvAccount: '支付用户零钱',
      refundAccount: 'REFUND_SOURCE_UNSETTLED_FUNDS',
      refundRequestSource: 'API',
    });
    expect(Object.keys(notification.reqInfo).sort()).toEqual([...REQ_INFO_FIELDS, 'success_time'].sort());
    expect(() => checkRefundNotificationMatches(notification, { outRefundNo: refund2.outRefundNo, refundFee: 250, totalFee: 1000, refundId: stored?.refundId })).not.toThrow();
    expect(() => parseRefundNotification(body, { ...devMerchant, apiKey: 'wrongkey0000000000000000000000xx' })).toThrow();
  });

  it('retries on the official schedule until acknowledged, with the same body', async () => {
    const { emu, receiver } = await setup({ refundSettleMs: 1 }, (n) => (n < 2 ? { body: FAIL_ACK } : { body: '<xml><return_code>SUCCESS</return_code></xml>' }));
    const { outRefundNo } = await requestRefund(emu, 100, receiver.url);
    const deliveries = await emu.control.waitForDeliveries((d) => d.outRefundNo === outRefundNo, 10_000, 3);
    expect(deliveries.map((d) => [d.attempt, d.acked, d.scheduledDelayMs])).toEqual([
      [1, false, 0],
      [2, false, 15],
      [3, true, 15],
    ]);
    expect(new Set(receiver.bodies).size).toBe(1);
  });

  it('notifies REFUNDCLOSE and CHANGE without success_time, to the merchant refundNotifyUrl when the request names none', async () => {
    const receiver = await startReceiver(() => ({ body: buildRefundNotifyAck() }));
    const emu = await startEmulator({ merchants: [{ ...devMerchant, refundNotifyUrl: receiver.url }], notifyTimeScale: 0.001, refundMinIntervalMs: 0 });
    cleanup.push(() => emu.close(), () => receiver.close());
    emu.control.holdRefunds(true);
    const closed = await requestRefund(emu, 100);
    const changed = await requestRefund(emu, 100);
    emu.control.closeRefund(closed.outRefundNo);
    emu.control.changeRefund(changed.outRefundNo);
    await emu.control.waitForDeliveries((d) => d.kind === 'refund', 5000, 2);
    const statuses = receiver.bodies.map((b) => parseRefundNotification(b, devMerchant)).map((n) => [n.outRefundNo, n.refundStatus, n.successTime]);
    expect(statuses.sort()).toEqual(
      [
        [closed.outRefundNo, 'REFUNDCLOSE', undefined],
        [changed.outRefundNo, 'CHANGE', undefined],
      ].sort(),
    );
  });

  it('notifies a portal refund with refund_request_source VENDOR_PLATFORM', async () => {
    const { emu, receiver } = await setup({ refundSettleMs: 1 }, () => ({ body: buildRefundNotifyAck() }));
    const { outTradeNo } = emu.control.seedOrder({ outTradeNo: newOutTradeNo(), totalFee: 500 });
    emu.control.payOrder(outTradeNo);
    const portal = emu.control.portalRefund({ outTradeNo, refundFee: 500, notifyUrl: receiver.url });
    await emu.control.waitForDeliveries((d) => d.outRefundNo === portal.outRefundNo, 5000);
    const notification = parseRefundNotification(receiver.bodies[0] ?? '', devMerchant);
    expect(notification).toMatchObject({ outRefundNo: portal.outRefundNo, refundRequestSource: 'VENDOR_PLATFORM', refundStatus: 'SUCCESS', refundFee: 500 });
  });
});
