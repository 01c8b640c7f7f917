import type { RequestPaymentParams } from '@checkout/protocol/contract';
import type { Platform } from '../env';

/**
 * What the client learned from the payment UI. None of these is the truth about money: after
 * every outcome the result screen asks the BFF.
 */
export type PaymentOutcome =
  /** requestPayment:ok: the BFF still has to confirm (notification or orderquery). */
  | { kind: 'paid-pending-confirmation' }
  | { kind: 'cancelled' }
  | { kind: 'failed'; errMsg: string }
  /** H5: the page is navigating to the cashier, which will come back to the result page. */
  | { kind: 'redirected' }
  /** H5 without a cashier: there is no way to pay here. */
  | { kind: 'unavailable'; message: string };

/** Exactly the object handed to wx.requestPayment: the five signed fields, nothing else. */
export type WxRequestPayment = (params: RequestPaymentParams) => Promise<unknown>;

export interface PaymentDeps {
  platform: Platform;
  appId: string;
  /** H5: the emulator cashier. null = H5 refuses to pay. */
  cashierUrl: string | null;
  /** Taro.requestPayment; only ever called on weapp (the H5 one is a stub that reports success). */
  requestPayment: WxRequestPayment;
  /** H5: leave for the cashier. */
  redirect: (url: string) => void;
}

export interface PaymentService {
  /** `returnUrl`: H5 only, the absolute result-page URL the cashier sends the buyer back to. */
  pay(params: RequestPaymentParams, returnUrl: string): Promise<PaymentOutcome>;
}

export const H5_PAYMENT_UNAVAILABLE = '当前环境无法支付，请在微信小程序中完成支付';

export function createPaymentService({ platform, appId, cashierUrl, requestPayment, redirect }: PaymentDeps): PaymentService {
  return {
    async pay(params, returnUrl) {
      const fields: RequestPaymentParams = {
        timeStamp: params.timeStamp,
        nonceStr: params.nonceStr,
        package: params.package,
        signType: params.signType,
        paySign: params.paySign,
      };
      if (platform !== 'weapp') {
        if (cashierUrl === null) return { kind: 'unavailable', message: H5_PAYMENT_UNAVAILABLE };
        redirect(buildCashierUrl(cashierUrl, appId, fields, returnUrl));
        return { kind: 'redirected' };
      }
      try {
        const result = await requestPayment(fields);
        return outcomeFromErrMsg(errMsgOf(result) ?? 'requestPayment:ok');
      } catch (error) {
        return outcomeFromErrMsg(errMsgOf(error) ?? 'requestPayment:fail unknown error');
      }
    },
  };
}

/** Maps WeChat's errMsg (from wx.requestPayment or the cashier redirect) to an outcome. */
export function outcomeFromErrMsg(errMsg: string): Exclude<PaymentOutcome, { kind: 'redirected' | 'unavailable' }> {
  const normalized = errMsg.trim();
  if (normalized === 'requestPayment:ok') return { kind: 'paid-pending-confirmation' };
  if (/^requestPayment:fail[: ]\s*cancel$/.test(normalized) || normalized === 'requestPayment:cancel') return { kind: 'cancelled' };
  return { kind: 'failed', errMsg: normalized || 'requestPayment:fail' };
}

export function buildCashierUrl(cashierUrl: string, appId: string, fields: RequestPaymentParams, returnUrl: string): string {
  const query = [
    ['appId', appId],
    ['timeStamp', fields.timeStamp],
    ['nonceStr', fields.nonceStr],
    ['package', fields.package],
    ['signType', fields.signType],
    ['paySign', fields.paySign],
    ['redirect', returnUrl],
  ]
    .map(([key, value]) => `${key}=${encodeURIComponent(value ?? '')}`)
    .join('&');
  return `${cashierUrl}?${query}`;
}

function errMsgOf(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'errMsg' in value && typeof value.errMsg === 'string') return value.errMsg;
  return null;
}
