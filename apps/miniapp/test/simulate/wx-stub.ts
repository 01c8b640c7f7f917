// The `wx` global for simulate tests: what the WeChat client would do, for real. Requests go
// over HTTP to the BFF the test started (whatever origin was compiled into the bundle is routed
// there, as a hosts entry would), login codes come from the emulator, and requestPayment hands
// the five fields plus WeChat's own appId to the emulator's cashier, which verifies paySign.
import type { CashierAction } from '../wechat-client';

type Callbacks = { success?: (result: unknown) => void; fail?: (error: unknown) => void; complete?: (result: unknown) => void };
type Options = Callbacks & Record<string, unknown>;

export interface WxStubOptions {
  bffUrl: string;
  emulatorUrl: string;
  appId: string;
}

export interface WxStub {
  wx: Record<string, unknown>;
  storage: Map<string, unknown>;
  navigations: { kind: string; url: string }[];
  /** Every wx.requestPayment call: the data fields (callbacks removed) and what WeChat answered. */
  payments: { fields: Record<string, unknown>; errMsg: string }[];
  requests: { method: string; url: string }[];
  /** What the buyer does at the cashier. */
  cashierAction: CashierAction;
  /** The appId WeChat adds to requestPayment: the running mini-program's own. */
  clientAppId: string;
  /** Every wx.showModal (title, content), and whether the buyer taps confirm. */
  modals: { title: string; content: string }[];
  modalConfirms: boolean;
}

/** WeChat API convention: callbacks when given, otherwise a Promise. */
function api(options: Options | undefined, run: () => Promise<{ ok: boolean; result: unknown }>): Promise<unknown> | undefined {
  const hasCallbacks = !!options && ['success', 'fail', 'complete'].some((key) => typeof options[key] === 'function');
  const settled = run().then(({ ok, result }) => {
    if (ok) options?.success?.(result);
    else options?.fail?.(result);
    options?.complete?.(result);
    if (!ok) throw result;
    return result;
  });
  if (hasCallbacks) {
    settled.catch(() => undefined);
    return undefined;
  }
  return settled;
}

const dataFields = (options: Options) => Object.fromEntries(Object.entries(options).filter(([, value]) => typeof value !== 'function'));

export function createWxStub({ bffUrl, emulatorUrl, appId }: WxStubOptions): WxStub {
  const stub: WxStub = { wx: {}, storage: new Map(), navigations: [], payments: [], requests: [], cashierAction: 'pay', clientAppId: appId, modals: [], modalConfirms: true };
  const navigate = (kind: string) => (options: Options) =>
    api(options, () => {
      stub.navigations.push({ kind, url: String(options.url) });
      return Promise.resolve({ ok: true, result: { errMsg: `${kind}:ok` } });
    });

  stub.wx = {
    getSystemInfoSync: () => ({ platform: 'devtools', system: 'iOS 17', windowWidth: 375, windowHeight: 667, screenWidth: 375, pixelRatio: 2, SDKVersion: '3.6.0', version: '8.0.50', language: 'zh_CN' }),
    canIUse: () => true,
    getStorageSync: (key: string) => stub.storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void stub.storage.set(key, value),
    removeStorageSync: (key: string) => void stub.storage.delete(key),
    showToast: (options: Options) => api(options, () => Promise.resolve({ ok: true, result: { errMsg: 'showToast:ok' } })),
    showModal: (options: Options) =>
      api(options, () => {
        stub.modals.push({ title: String(options.title), content: String(options.content) });
        return Promise.resolve({ ok: true, result: { confirm: stub.modalConfirms, cancel: !stub.modalConfirms, errMsg: 'showModal:ok' } });
      }),
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    reLaunch: navigate('reLaunch'),
    login: (options: Options) =>
      api(options, async () => {
        const response = await fetch(`${emulatorUrl}/__emulator/login-codes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ appId }) });
        const { code } = (await response.json()) as { code: string };
        return { ok: true, result: { code, errMsg: 'login:ok' } };
      }),
    request: (options: Options) => {
      const method = (typeof options.method === 'string' ? options.method : 'GET').toUpperCase();
      const url = String(options.url);
      stub.requests.push({ method, url });
      void api(options, async () => {
        // wx.request only takes absolute http(s) URLs.
        const parsed = /^https?:\/\/[^/]+(\/.*)$/.exec(url);
        if (!parsed) return { ok: false, result: { errMsg: `request:fail invalid url "${url}"` } };
        const target = `${bffUrl}${parsed[1] ?? ''}`;
        const headers = (options.header ?? {}) as Record<string, string>;
        try {
          const response = await fetch(target, {
            method,
            headers,
            ...(method === 'GET' || options.data === undefined ? {} : { body: typeof options.data === 'string' ? options.data : JSON.stringify(options.data) }),
          });
          const text = await response.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // non-JSON bodies come back as strings, as in WeChat
          }
          return { ok: true, result: { data, statusCode: response.status, header: Object.fromEntries(response.headers), errMsg: 'request:ok' } };
        } catch (error) {
          return { ok: false, result: { errMsg: `request:fail ${(error as Error).message}` } };
        }
      });
      return { abort: () => undefined, onHeadersReceived: () => undefined, offHeadersReceived: () => undefined };
    },
    requestPayment: (options: Options) => {
      const fields = dataFields(options);
      return api(options, async () => {
        const response = await fetch(`${emulatorUrl}/cashier/confirm`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ...fields, appId: stub.clientAppId, action: stub.cashierAction }),
        });
        const { errMsg } = (await response.json()) as { errMsg: string };
        stub.payments.push({ fields, errMsg });
        return { ok: errMsg === 'requestPayment:ok', result: { errMsg } };
      });
    },
  };
  return stub;
}
