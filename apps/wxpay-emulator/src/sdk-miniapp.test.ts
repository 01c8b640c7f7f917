import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import type { EmulatorOrder } from './emulator-types';
import { newOutTradeNo, startEmulator, type TestEmulator } from './testing/test-fixtures';

/*
 * Mini-program access tokens and 发货信息管理 through a published Node SDK (node-easywechat, a port of
 * PHP EasyWeChat), loaded through its CommonJS entry with only the base URL changed.
 */
const require = createRequire(import.meta.url);

interface SdkResponse {
  toObject(): Record<string, unknown>;
}
interface SdkClient {
  postJson(url: string, data: object): Promise<SdkResponse>;
}
interface SdkAccessToken {
  getToken(): Promise<string>;
  refresh(): Promise<string>;
  getStableAccessToken(forceRefresh?: boolean): Promise<string>;
}
interface SdkMiniApp {
  setCache(cache: object): SdkMiniApp;
  getAccessToken(): SdkAccessToken;
  getClient(): SdkClient;
}
type MiniAppCtor = new (config: Record<string, unknown>) => SdkMiniApp;
// The MiniApp module itself: the package index also loads the official-account OAuth part, whose
// node-socialite dependency (^1.4.1 resolves to 1.5.x) no longer has the path it requires.
const MiniApp = require('node-easywechat/dist/MiniApp/Application') as MiniAppCtor;

/** The SDK's cache contract, in memory (its default writes files). */
class MemoryCache {
  private readonly map = new Map<string, unknown>();
  get(key: string): Promise<unknown> {
    return Promise.resolve(this.map.get(key));
  }
  has(key: string): Promise<boolean> {
    return Promise.resolve(this.map.has(key));
  }
  set(key: string, data?: unknown): Promise<boolean> {
    this.map.set(key, data);
    return Promise.resolve(true);
  }
  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.map.delete(key));
  }
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startEmulator({ frozenClock: true });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

function app(options: { stable: boolean; secret?: string }): SdkMiniApp {
  const miniApp = new MiniApp({
    app_id: devMerchant.appId,
    secret: options.secret ?? devMerchant.appSecret,
    use_stable_access_token: options.stable,
    http: { baseURL: `${emu.url}/`, throw: false },
  });
  miniApp.setCache(new MemoryCache());
  return miniApp;
}

function paidOrder(): EmulatorOrder & { transactionId: string } {
  const outTradeNo = newOutTradeNo();
  emu.control.seedOrder({ outTradeNo, totalFee: 888, openid: 'oSdkBuyer0000000000000000001' });
  return emu.control.payOrder(outTradeNo) as EmulatorOrder & { transactionId: string };
}

describe('node-easywechat MiniApp against the emulator', () => {
  it.each([true, false])('gets a token (stable: %s), uploads shipping info and reads it back with get_order', async (stable) => {
    const miniApp = app({ stable });
    const token = await miniApp.getAccessToken().getToken();
    expect(token).toMatch(/^\d+_/);
    expect(emu.control.accessTokens().tokens).toEqual([expect.objectContaining({ kind: stable ? 'stable' : 'basic', state: 'valid' })]);
    const order = paidOrder();
    const client = miniApp.getClient();
    const uploaded = await client.postJson('wxa/sec/order/upload_shipping_info', {
      order_key: { order_number_type: 1, mchid: order.mchId, out_trade_no: order.outTradeNo },
      logistics_type: 1,
      delivery_mode: 1,
      shipping_list: [{ tracking_no: 'JT0001234567890', express_company: 'JTSD', item_desc: '测试商品*1' }],
      upload_time: '2025-06-01T10:00:00+08:00',
      payer: { openid: order.openid },
    });
    expect(uploaded.toObject()).toEqual({ errcode: 0, errmsg: 'ok' });
    const got = (await client.postJson('wxa/sec/order/get_order', { transaction_id: order.transactionId })).toObject();
    expect(got).toMatchObject({ errcode: 0, order: { order_state: 2, shipping: { finish_shipping: true, shipping_list: [{ tracking_no: 'JT0001234567890', express_company: 'JTSD' }] } } });
    // the SDK cached the token: one minted for both calls
    expect(emu.control.accessTokens().issued).toBe(1);
  });

  it('surfaces the documented refusals: a wrong secret, an invalidated token', async () => {
    await expect(app({ stable: true, secret: 'wrongsecret' }).getAccessToken().getToken()).rejects.toThrow(/40125/);
    const miniApp = app({ stable: true });
    await miniApp.getAccessToken().getToken();
    emu.control.invalidateAccessTokens();
    const refused = await miniApp.getClient().postJson('wxa/sec/order/get_order', { transaction_id: paidOrder().transactionId });
    expect(refused.toObject()).toMatchObject({ errcode: 40001 });
    // forcing a refresh through the SDK gives a working token
    const fresh = await miniApp.getAccessToken().getStableAccessToken(true);
    expect(fresh).not.toBe('');
    expect(emu.control.accessTokens().tokens.at(-1)).toMatchObject({ state: 'valid' });
  });
});
