import type { Product } from '@checkout/protocol/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DEV_APP_ID } from '../dev-app';
import { bootWeapp, tap, waitForText, type SimulateComponent, type WeappRuntime } from './weapp-runtime';
import { createWxStub, type WxStub } from './wx-stub';

/** "METHOD /path" of the app's requests, whatever BFF origin was compiled in. */
const requestPaths = () => stub.requests.map((request) => `${request.method} ${new URL(request.url).pathname}`);

const bffUrl = inject('bffUrl');
const emulatorUrl = inject('emulatorUrl');
let stub: WxStub;
let runtime: WeappRuntime;
let products: Product[];
const opened: SimulateComponent[] = [];

async function open(route: string, query: Record<string, string> = {}) {
  const page = await runtime.openPage(route, query);
  opened.push(page);
  return page;
}

/** Adds from the catalog page, as a buyer would (the cart is app state, not re-read from storage). */
async function putInCart(productId: string, quantity: number) {
  const product = products.find((candidate) => candidate.id === productId);
  if (!product) throw new Error(`no product ${productId}`);
  const catalog = await open('pages/catalog/index');
  await waitForText(catalog, (text) => text.includes(product.name));
  for (let count = 0; count < quantity; count++) {
    tap(catalog, count === 0 ? '加入购物车' : `加入购物车 (${count})`, product.name);
    await waitForText(catalog, (text) => text.includes(`加入购物车 (${count + 1})`));
  }
  tap(catalog, '去结算');
  await waitForText(catalog, () => stub.navigations.length > 0);
  expect(stub.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: '/pages/cart/index' });
  stub.navigations.length = 0;
}

/** The query WeChat would hand the result page after `redirectTo`. */
function resultQuery(): Record<string, string> {
  const navigation = stub.navigations.find((call) => call.url.startsWith('/subpackages/result/index'));
  if (!navigation) throw new Error(`no navigation to the result page: ${JSON.stringify(stub.navigations)}`);
  const query = navigation.url.split('?')[1] ?? '';
  // WeChat passes query values to onLoad still URL-encoded; the page decodes them.
  return Object.fromEntries(query.split('&').map((pair) => pair.split('=') as [string, string]));
}

beforeAll(async () => {
  stub = createWxStub({ bffUrl, emulatorUrl, appId: DEV_APP_ID });
  runtime = bootWeapp(stub.wx);
  products = ((await (await fetch(`${bffUrl}/api/products`)).json()) as { products: Product[] }).products;
});

beforeEach(() => {
  stub.storage.clear();
  stub.navigations.length = 0;
  stub.payments.length = 0;
  stub.requests.length = 0;
  stub.cashierAction = 'pay';
  stub.clientAppId = DEV_APP_ID;
});

afterEach(() => {
  while (opened.length > 0) opened.pop()?.detach();
});

describe('compiled weapp in miniprogram-simulate', () => {
  it('renders the catalog from the real BFF', async () => {
    const page = await open('pages/catalog/index');
    const text = await waitForText(page, (current) => current.includes('十字对开门冰箱 510L'));
    expect(text).toContain('¥4299.00');
    expect(text).toContain('国补家电');
    expect(text).toContain('电热水壶 1.7L');
    expect(requestPaths()).toEqual(['GET /api/products']);
  });

  it('checkout tap: wx.login → POST /api/session → POST /api/orders → wx.requestPayment accepted by the cashier → paid', async () => {
    await putInCart('kettle', 2);
    const cart = await open('pages/cart/index');
    expect(await waitForText(cart, (text) => text.includes('提交订单并支付'))).toContain('¥178.00');
    tap(cart, '提交订单并支付');
    await waitForText(cart, () => stub.navigations.length > 0);

    expect(requestPaths()).toEqual(['GET /api/products', 'POST /api/session', 'POST /api/orders']);
    expect(stub.payments).toHaveLength(1);
    const payment = stub.payments[0];
    expect(Object.keys(payment?.fields ?? {}).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    // The emulator's cashier checked paySign over appId+timeStamp+nonceStr+package+signType.
    expect(payment?.errMsg).toBe('requestPayment:ok');
    const query = resultQuery();
    expect(decodeURIComponent(query.errMsg ?? '')).toBe('requestPayment:ok');

    const result = await open('subpackages/result/index', query);
    const text = await waitForText(result, (current) => current.includes('支付成功'));
    expect(text).toContain('¥178.00');
    const orders = (await (await fetch(`${emulatorUrl}/__emulator/orders`)).json()) as { prepayId: string; tradeState: string }[];
    const prepayId = String(payment?.fields.package).replace('prepay_id=', '');
    expect(orders.find((order) => order.prepayId === prepayId)?.tradeState).toBe('SUCCESS');
  });

  it('a cancel at the cashier shows 已取消支付 with pay again', async () => {
    stub.cashierAction = 'cancel';
    await putInCart('kettle', 1);
    const cart = await open('pages/cart/index');
    await waitForText(cart, (text) => text.includes('提交订单并支付'));
    tap(cart, '提交订单并支付');
    await waitForText(cart, () => stub.navigations.length > 0);
    expect(stub.payments[0]?.errMsg).toBe('requestPayment:fail cancel');
    const result = await open('subpackages/result/index', resultQuery());
    const text = await waitForText(result, (current) => current.includes('已取消支付'));
    expect(text).toContain('重新支付');
  });

  it('params the cashier refuses (here: signed for another appId) end as a failure, never as paid', async () => {
    // WeChat signs-checks with the running app's appId; params paySigned for ours must not verify.
    stub.clientAppId = 'wx0000000000000bad';
    await putInCart('kettle', 1);
    const cart = await open('pages/cart/index');
    await waitForText(cart, (text) => text.includes('提交订单并支付'));
    tap(cart, '提交订单并支付');
    await waitForText(cart, () => stub.navigations.length > 0);
    expect(stub.payments[0]?.errMsg).toMatch(/^requestPayment:fail/);
    const result = await open('subpackages/result/index', resultQuery());
    const text = await waitForText(result, (current) => current.includes('支付未完成'));
    expect(text).not.toContain('支付成功');
  });
});
