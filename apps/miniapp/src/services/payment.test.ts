import { describe, expect, it } from 'vitest';
import { paymentParams } from '../../test/fixtures';
import { buildCashierUrl, createPaymentService, outcomeFromErrMsg, type PaymentDeps } from './payment';

const deps = (overrides: Partial<PaymentDeps>) => {
  const calls: unknown[] = [];
  const redirects: string[] = [];
  const service = createPaymentService({
    platform: 'weapp',
    appId: 'wxdev0000000000001',
    cashierUrl: null,
    requestPayment: (params) => {
      calls.push(params);
      return Promise.resolve({ errMsg: 'requestPayment:ok' });
    },
    redirect: (url) => redirects.push(url),
    ...overrides,
  });
  return { service, calls, redirects };
};

describe('payment on weapp', () => {
  it('hands wx.requestPayment exactly the five signed fields', async () => {
    const { service, calls } = deps({});
    const withExtras = { ...paymentParams, appId: 'wx-should-not-be-sent', orderId: 'x' } as typeof paymentParams;
    await expect(service.pay(withExtras, '')).resolves.toEqual({ kind: 'paid-pending-confirmation' });
    expect(calls).toEqual([paymentParams]);
    expect(Object.keys(calls[0] as object).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
  });

  it('maps the user closing the sheet to cancelled', async () => {
    const { service } = deps({ requestPayment: () => Promise.reject({ errMsg: 'requestPayment:fail cancel' }) });
    await expect(service.pay(paymentParams, '')).resolves.toEqual({ kind: 'cancelled' });
  });

  it('keeps the errMsg of any other failure', async () => {
    const { service } = deps({ requestPayment: () => Promise.reject({ errMsg: 'requestPayment:fail 支付签名验证失败' }) });
    await expect(service.pay(paymentParams, '')).resolves.toEqual({ kind: 'failed', errMsg: 'requestPayment:fail 支付签名验证失败' });
  });

  it('treats a thrown Error without errMsg as a failure, never as paid', async () => {
    const { service } = deps({ requestPayment: () => Promise.reject(new Error('boom')) });
    await expect(service.pay(paymentParams, '')).resolves.toMatchObject({ kind: 'failed' });
  });
});

describe('payment on H5', () => {
  it('never calls the H5 requestPayment stub: it goes to the cashier with the params and the return URL', async () => {
    const { service, calls, redirects } = deps({ platform: 'h5', cashierUrl: '/cashier' });
    await expect(service.pay(paymentParams, 'http://127.0.0.1:3200/subpackages/result/index?orderId=o1')).resolves.toEqual({ kind: 'redirected' });
    expect(calls).toEqual([]);
    const url = new URL(redirects[0] ?? '', 'http://127.0.0.1:3200');
    expect(url.pathname).toBe('/cashier');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appId: 'wxdev0000000000001',
      ...paymentParams,
      redirect: 'http://127.0.0.1:3200/subpackages/result/index?orderId=o1',
    });
  });

  it('without a cashier it refuses clearly and still never calls the stub', async () => {
    const { service, calls, redirects } = deps({ platform: 'h5', cashierUrl: null });
    const outcome = await service.pay(paymentParams, 'http://x/');
    expect(outcome).toMatchObject({ kind: 'unavailable' });
    expect(outcome.kind === 'unavailable' && outcome.message).toContain('微信');
    expect(calls).toEqual([]);
    expect(redirects).toEqual([]);
  });
});

describe('outcomeFromErrMsg', () => {
  it.each([
    ['requestPayment:ok', { kind: 'paid-pending-confirmation' }],
    ['requestPayment:fail cancel', { kind: 'cancelled' }],
    ['requestPayment:fail:cancel', { kind: 'cancelled' }],
    ['requestPayment:fail (detail message)', { kind: 'failed', errMsg: 'requestPayment:fail (detail message)' }],
    ['', { kind: 'failed', errMsg: 'requestPayment:fail' }],
    ['requestPayment:okay', { kind: 'failed', errMsg: 'requestPayment:okay' }],
  ])('%s', (errMsg, expected) => {
    expect(outcomeFromErrMsg(errMsg)).toEqual(expected);
  });

  it('builds an absolute cashier URL too', () => {
    expect(buildCashierUrl('http://127.0.0.1:3100/cashier', 'wxa', paymentParams, 'http://r/?a=1&b=2')).toMatch(
      /^http:\/\/127\.0\.0\.1:3100\/cashier\?appId=wxa&.*&redirect=http%3A%2F%2Fr%2F%3Fa%3D1%26b%3D2$/,
    );
  });
});
