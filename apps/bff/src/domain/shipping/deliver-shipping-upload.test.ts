import { describe, expect, it } from 'vitest';
import { deliverShippingUpload } from './deliver-shipping-upload';
import { classifyUploadErrcode, PAYMENT_VISIBILITY_GRACE_MS } from './upload-outcome';
import { uploadShippingRequest } from './upload-shipping-request';
import type { WechatOrderShipping, WechatShippingApi, WxaResult } from './wechat-shipping-api';

describe('upload errcode classification', () => {
  it('busy and token problems retry; 10060001 retries within the grace period, then is dead; everything else is dead with errcode and errmsg', () => {
    expect(classifyUploadErrcode(0, 'ok', 0)).toEqual({ outcome: 'delivered' });
    for (const errcode of [-1, 40001, 42001, 41001, 45009]) expect(classifyUploadErrcode(errcode, 'x', 0).outcome).toBe('retry');
    expect(classifyUploadErrcode(10060001, '支付单不存在', PAYMENT_VISIBILITY_GRACE_MS - 1).outcome).toBe('retry');
    expect(classifyUploadErrcode(10060001, '支付单不存在', PAYMENT_VISIBILITY_GRACE_MS)).toEqual({ outcome: 'failed', error: 'WX_ERRCODE:10060001:支付单不存在' });
    for (const errcode of [47001, 10060003, 10060004, 10060031, 268485216, 999999]) expect(classifyUploadErrcode(errcode, 'm', 0)).toEqual({ outcome: 'failed', error: `WX_ERRCODE:${errcode}:m` });
  });
});

const request = uploadShippingRequest({
  fulfillment: 'courier', transactionId: 'T1', openid: 'o', orderDescription: 'd', sequence: 1, completesDelivery: false, uploadTime: '2026-12-01T11:00:00+08:00',
  parcels: [{ trackingNo: 'ZT1', expressCompany: 'ZTO', itemDesc: 'x', receiverContact: null }],
});

/** A WeChat stand-in answering from scripted results, counting calls. */
function wechat(uploads: WxaResult<null>[], shipping: WechatOrderShipping | null | 'unavailable' = null) {
  const calls: string[] = [];
  const api: WechatShippingApi = {
    uploadShippingInfo: () => (calls.push('upload'), Promise.resolve(uploads.shift() ?? { kind: 'ok', value: null })),
    getOrder: () => {
      calls.push('get_order');
      return Promise.resolve(shipping === 'unavailable' ? { kind: 'unavailable', reason: 'HTTP_503' } : { kind: 'ok', value: { transactionId: 'T1', merchantTradeNo: null, orderState: 1, inComplaint: false, shipping } });
    },
  };
  return { api, calls };
}

const shown = (overrides: Partial<WechatOrderShipping> = {}): WechatOrderShipping => ({ logisticsType: 1, deliveryMode: 2, finishShipping: false, finishShippingCount: 0, trackingNumbers: ['ZT1'], parcelCount: 1, ...overrides });

describe('one upload attempt', () => {
  it('uploads what WeChat does not show yet; transport trouble retries', async () => {
    const w = wechat([{ kind: 'unavailable', reason: 'CONNECTION_ERROR:ECONNRESET' }]);
    expect(await deliverShippingUpload(w.api, { request, ageMs: 0 })).toEqual({ outcome: 'retry', error: 'CONNECTION_ERROR:ECONNRESET' });
    expect(w.calls).toEqual(['get_order', 'upload']);
  });

  it('a payment WeChat does not know yet (get_order 10060001) is uploaded, and the upload decides', async () => {
    const calls: string[] = [];
    const api: WechatShippingApi = {
      getOrder: () => (calls.push('get_order'), Promise.resolve({ kind: 'errcode', errcode: 10060001, errmsg: '支付单不存在' })),
      uploadShippingInfo: () => (calls.push('upload'), Promise.resolve({ kind: 'errcode', errcode: 10060001, errmsg: '支付单不存在' })),
    };
    expect(await deliverShippingUpload(api, { request, ageMs: 5_000 })).toMatchObject({ outcome: 'retry' });
    expect(calls).toEqual(['get_order', 'upload']);
  });

  it('an upload WeChat already shows is delivered without sending it again (no re-ship spent), even on a re-queued first attempt', async () => {
    const w = wechat([], shown());
    expect(await deliverShippingUpload(w.api, { request, ageMs: 0 })).toEqual({ outcome: 'delivered', alreadyApplied: true });
    expect(w.calls).toEqual(['get_order']);
  });

  it('a retry uploads when WeChat shows something else (other parcels, other completion, nothing)', async () => {
    for (const other of [shown({ trackingNumbers: ['ZT9'] }), shown({ finishShipping: true }), shown({ logisticsType: 3 }), null]) {
      const w = wechat([], other);
      expect(await deliverShippingUpload(w.api, { request, ageMs: 0 })).toEqual({ outcome: 'delivered' });
      expect(w.calls).toEqual(['get_order', 'upload']);
    }
  });

  it('a retry that cannot ask get_order does not upload blind', async () => {
    const w = wechat([], 'unavailable');
    expect(await deliverShippingUpload(w.api, { request, ageMs: 0 })).toEqual({ outcome: 'retry', error: 'GET_ORDER_UNAVAILABLE:HTTP_503' });
    expect(w.calls).toEqual(['get_order']);
  });

  it('an errcode answer is classified', async () => {
    const w = wechat([{ kind: 'errcode', errcode: 47001, errmsg: 'data format error' }]);
    expect(await deliverShippingUpload(w.api, { request, ageMs: 0 })).toEqual({ outcome: 'failed', error: 'WX_ERRCODE:47001:data format error' });
  });
});
