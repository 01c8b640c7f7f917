// Test double for @tarojs/taro in jsdom page tests (aliased in vitest.config.ts). Network calls
// are real: `request` uses fetch against a server the test started. Storage, navigation and the
// payment sheet are recorded so tests can assert what the app asked WeChat to do.
import { useEffect } from 'react';

export interface RequestOptions {
  url: string;
  method?: string;
  header?: Record<string, string>;
  data?: unknown;
}

export interface NavigationCall {
  kind: 'navigateTo' | 'redirectTo' | 'reLaunch';
  url: string;
}

type Handler<T> = (params: T) => Promise<unknown>;

export const taroDouble = {
  storage: new Map<string, string>(),
  navigations: [] as NavigationCall[],
  toasts: [] as string[],
  routerParams: {} as Record<string, string>,
  /** What wx.login answers; tests replace it. */
  login: (() => Promise.resolve({ code: 'unset', errMsg: 'login:ok' })) as () => Promise<{ code?: string; errMsg?: string }>,
  /** wx.requestPayment; records every call. Default: refuse, so an unexpected call fails loudly. */
  requestPayment: (() => Promise.reject(new Error('requestPayment not expected in this test'))) as Handler<Record<string, unknown>>,
  paymentCalls: [] as Record<string, unknown>[],
  /** wx.openBusinessView (the receipt confirmation component); records every call. */
  openBusinessView: (() => Promise.reject(new Error('openBusinessView not expected in this test'))) as Handler<Record<string, unknown>>,
  businessViewCalls: [] as Record<string, unknown>[],
  /** Every wx.showModal (title, content) and what the buyer taps: confirm unless a test says not. */
  modals: [] as { title: string; content: string }[],
  modalConfirms: true,
  reset() {
    this.businessViewCalls.length = 0;
    this.openBusinessView = () => Promise.reject(new Error('openBusinessView not expected in this test'));
    this.modals.length = 0;
    this.modalConfirms = true;
    this.storage.clear();
    this.navigations.length = 0;
    this.toasts.length = 0;
    this.paymentCalls.length = 0;
    this.routerParams = {};
    this.login = () => Promise.resolve({ code: 'unset', errMsg: 'login:ok' });
    this.requestPayment = () => Promise.reject(new Error('requestPayment not expected in this test'));
  },
};

async function request(options: RequestOptions) {
  const init: RequestInit = { method: options.method ?? 'GET', headers: options.header ?? {} };
  if (options.data !== undefined && init.method !== 'GET') init.body = JSON.stringify(options.data);
  const response = await fetch(options.url, init);
  const text = await response.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // Like wx.request with dataType json: a non-JSON body comes back as a string.
  }
  return { statusCode: response.status, data, header: Object.fromEntries(response.headers), errMsg: 'request:ok' };
}

const navigate = (kind: NavigationCall['kind']) => (options: { url: string }) => {
  taroDouble.navigations.push({ kind, url: options.url });
  return Promise.resolve({ errMsg: `${kind}:ok` });
};

export const Taro = {
  request,
  login: () => taroDouble.login(),
  requestPayment: (params: Record<string, unknown>) => {
    taroDouble.paymentCalls.push(params);
    return taroDouble.requestPayment(params);
  },
  openBusinessView: (options: Record<string, unknown>) => {
    taroDouble.businessViewCalls.push(options);
    return taroDouble.openBusinessView(options);
  },
  getStorageSync: (key: string) => taroDouble.storage.get(key) ?? '',
  setStorageSync: (key: string, value: string) => void taroDouble.storage.set(key, value),
  removeStorageSync: (key: string) => void taroDouble.storage.delete(key),
  navigateTo: navigate('navigateTo'),
  redirectTo: navigate('redirectTo'),
  reLaunch: navigate('reLaunch'),
  showModal: (options: { title: string; content: string }) => {
    taroDouble.modals.push({ title: options.title, content: options.content });
    return Promise.resolve({ confirm: taroDouble.modalConfirms, cancel: !taroDouble.modalConfirms, errMsg: 'showModal:ok' });
  },
  navigateBack: () => Promise.resolve({ errMsg: 'navigateBack:ok' }),
  getCurrentPages: () => [],
  showToast: (options: { title: string }) => {
    taroDouble.toasts.push(options.title);
    return Promise.resolve({ errMsg: 'showToast:ok' });
  },
};

export function useRouter() {
  return { params: taroDouble.routerParams, path: '' };
}

export function useDidShow(callback: () => void) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(callback, []);
}

export function useError(_callback: (error: string) => void) {}
export function useUnhandledRejection(_callback: (event: { reason: unknown }) => void) {}

export default Taro;
