import type { Product } from '@checkout/protocol/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DEV_APP_ID } from '../dev-app';
import { bootWeapp, fire, tap, waitForText, type SimulateComponent, type WeappRuntime } from './weapp-runtime';
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
  stub.modals.length = 0;
  stub.modalConfirms = true;
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
    // Each card's <image> loads the product's picture from the API origin compiled into the build.
    expect(page.dom.querySelectorAll('wx-image')).toHaveLength(products.length);
    const imageSources = JSON.stringify(page.instance.data).match(/https?:\/\/[^"]+\.svg/g) ?? [];
    expect(new Set(imageSources.map((source) => new URL(source).pathname))).toEqual(new Set(products.map((product) => product.imageUrl)));
    const apiOrigin = new URL(stub.requests[0]?.url ?? '').origin;
    expect(imageSources.every((source) => new URL(source).origin === apiOrigin)).toBe(true);
  });

  it('checkout tap: wx.login → POST /api/session → POST /api/orders → wx.requestPayment accepted by the cashier → paid', async () => {
    await putInCart('kettle', 2);
    const cart = await open('pages/cart/index');
    expect(await waitForText(cart, (text) => text.includes('提交订单并支付'))).toContain('¥178.00');
    tap(cart, '提交订单并支付');
    await waitForText(cart, () => stub.navigations.length > 0);

    // The cart's amounts are the BFF's quote; then login, order, pay.
    expect(requestPaths()).toEqual(['GET /api/products', 'POST /api/orders/quote', 'POST /api/session', 'POST /api/orders']);
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

  it('a cancel at the cashier shows 已取消支付 with pay again; 取消订单 asks first; the empty cart shows the waiting order', async () => {
    stub.cashierAction = 'cancel';
    await putInCart('kettle', 1);
    const cart = await open('pages/cart/index');
    await waitForText(cart, (text) => text.includes('提交订单并支付'));
    tap(cart, '提交订单并支付');
    await waitForText(cart, () => stub.navigations.length > 0);
    expect(stub.payments[0]?.errMsg).toBe('requestPayment:fail cancel');
    const query = resultQuery();

    // Back on the (now empty) cart, the unpaid order is offered.
    const emptyCart = await open('pages/cart/index');
    const waiting = await waitForText(emptyCart, (current) => current.includes('您有一笔待支付订单'));
    expect(waiting).toContain('电热水壶 1.7L × 1');
    expect(waiting).toContain('去支付');

    const result = await open('subpackages/result/index', query);
    const text = await waitForText(result, (current) => current.includes('已取消支付'));
    expect(text).toContain('重新支付');
    stub.modalConfirms = false;
    tap(result, '取消订单');
    await waitForText(result, () => stub.modals.length === 1);
    expect(stub.modals[0]?.content).toContain('几分钟内关闭');
    expect(result.dom.textContent).toContain('重新支付');
    stub.modalConfirms = true;
    tap(result, '取消订单');
    const cancelling = await waitForText(result, (current) => current.includes('正在取消'));
    expect(cancelling).not.toContain('重新支付');
  });

  it('a failed payment ends with 重新下单, which puts the same items back in the cart', async () => {
    stub.cashierAction = 'fail';
    await putInCart('kettle', 2);
    const cart = await open('pages/cart/index');
    await waitForText(cart, (text) => text.includes('提交订单并支付'));
    tap(cart, '提交订单并支付');
    await waitForText(cart, () => stub.navigations.length > 0);
    expect(stub.payments[0]?.errMsg).toMatch(/^requestPayment:fail/);
    const result = await open('subpackages/result/index', resultQuery());
    // The BFF sees the PAYERROR through orderquery; the page asks again until it does.
    const failed = await waitForText(result, (current) => current.includes('重新下单'), 300);
    expect(failed).toContain('支付失败');
    expect(failed).not.toContain('重新支付');
    stub.navigations.length = 0;
    tap(result, '重新下单');
    await waitForText(result, () => stub.navigations.length > 0);
    expect(stub.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: '/pages/cart/index' });
    const again = await open('pages/cart/index');
    expect(await waitForText(again, (text) => text.includes('¥178.00'))).toContain('电热水壶 1.7L');
    // Leave the app's cart empty for the next test.
    tap(again, '删除', '电热水壶 1.7L');
    await waitForText(again, (text) => text.includes('购物车是空的'));
  });

  it("the subsidy form takes regions from WeChat's region picker and shows the quoted subsidy before paying", async () => {
    await putInCart('fridge-510', 1);
    const cart = await open('pages/cart/index');
    await waitForText(cart, (text) => text.includes('¥4299.00'));
    fire(cart, 'switch', 0, 'change', { value: true });
    await waitForText(cart, (text) => text.includes('收货地区'));
    const quoted = await waitForText(cart, (text) => text.includes('¥3439.20'));
    expect(quoted).toContain('-¥859.80');
    fire(cart, 'picker', 0, 'change', { value: ['广东省', '深圳市', '南山区'], code: ['440000', '440300', '440305'], postcode: '518000' });
    await waitForText(cart, (text) => text.includes('广东省 深圳市 南山区'));
    fire(cart, 'picker', 1, 'change', { value: ['广东省', '深圳市'], code: ['440000', '440300'] });
    const picked = await waitForText(cart, (text) => text.includes('补贴资格所在城市广东省 深圳市'));
    expect(picked).toContain('广东省 深圳市 南山区');
    tap(cart, '提交订单并支付');
    // Nothing is sent with the name, number and phone still missing; the regions are accepted.
    const checked = await waitForText(cart, (text) => text.includes('请输入证件号码'));
    expect(checked).not.toContain('请选择收货地区');
    expect(requestPaths().filter((path) => path === 'POST /api/orders')).toEqual([]);
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
