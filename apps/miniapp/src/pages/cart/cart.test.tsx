import type { Product } from '@checkout/protocol/contract';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { configureApp } from '../../../test/app-env';
import { taroDouble } from '../../../test/doubles/taro';
import { fridge, kettle, pendingOrder, paymentParams, session } from '../../../test/fixtures';
import { startScriptedServer, type ScriptedServer } from '../../../test/scripted-server';
import { emulatorLoginCode, emulatorRequestPayment, type CashierAction } from '../../../test/wechat-client';
import { appCart } from '../../state/app-cart';
import CartPage from './index';

async function realProduct(id: string): Promise<Product> {
  const response = await fetch(`${inject('bffUrl')}/api/products`);
  const { products } = (await response.json()) as { products: Product[] };
  const product = products.find((candidate) => candidate.id === id);
  if (!product) throw new Error(`no product ${id} in the BFF catalog`);
  return product;
}

function useRealStack(action: CashierAction = 'pay') {
  configureApp({ apiBaseUrl: inject('bffUrl') });
  taroDouble.login = emulatorLoginCode(inject('emulatorUrl'));
  taroDouble.requestPayment = emulatorRequestPayment(inject('emulatorUrl'), () => action);
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: '提交订单并支付' }));
const resultNavigation = () => taroDouble.navigations.find((call) => call.url.startsWith('/subpackages/result/index'));

/** What WeChat's region picker sends on change, for the picker of this level. */
function pick(level: 'region' | 'city', detail: { value: string[]; code: string[] }) {
  fireEvent.change(screen.getByTestId(`picker-${level}`), { target: { value: JSON.stringify(detail) } });
}

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('cart and checkout', () => {
  let server: ScriptedServer | undefined;
  afterEach(() => server?.close());

  it('shows line totals and the payable amount the BFF quotes, and re-asks when the cart changes', async () => {
    useRealStack('pay');
    const kettleOfBff = await realProduct('kettle');
    appCart.add(kettleOfBff);
    render(<CartPage />);
    await waitFor(() => expect(screen.getByTestId('payable').textContent).toBe('¥89.00'));
    fireEvent.click(screen.getByLabelText(`增加${kettleOfBff.name}数量`));
    expect(screen.getByLabelText(`${kettleOfBff.name}数量`).textContent).toBe('2');
    await waitFor(() => expect(screen.getByTestId('payable').textContent).toBe('¥178.00'));
    expect(screen.getByText('¥178.00', { selector: '.cart-line__total' })).toBeTruthy();
    expect(screen.getByText('单价 ¥89.00')).toBeTruthy();
    expect(screen.getByTestId('cart-line-kettle').querySelector('img.cart-line__image')?.getAttribute('src')).toBe(`${inject('bffUrl')}/images/products/kettle.svg`);
    fireEvent.click(screen.getByRole('button', { name: '删除' }));
    expect(await screen.findByText('购物车是空的')).toBeTruthy();
  });

  it('shows the subsidy and the payable amount before paying, from the BFF quote', async () => {
    useRealStack('pay');
    appCart.add(await realProduct('fridge-510'));
    render(<CartPage />);
    await waitFor(() => expect(screen.getByTestId('payable').textContent).toBe('¥4299.00'));
    fireEvent.click(screen.getByRole('switch', { name: '申请国家补贴' }));
    // FIRST_LEVEL: 20 % of 4299.00 is 859.80, under the 2000.00 cap.
    await waitFor(() => expect(screen.getByTestId('payable').textContent).toBe('¥3439.20'));
    expect(screen.getByTestId('quote').textContent).toContain('国家补贴-¥859.80');
    expect(screen.getByText('已减国补 ¥859.80', { exact: false })).toBeTruthy();
  });

  it('logs in, orders and pays through the real BFF and emulator with exactly the five fields', async () => {
    useRealStack('pay');
    appCart.add(await realProduct('kettle'));
    appCart.add(await realProduct('kettle'));
    render(<CartPage />);
    submit();
    await waitFor(() => expect(resultNavigation()).toBeDefined());
    expect(taroDouble.paymentCalls).toHaveLength(1);
    expect(Object.keys(taroDouble.paymentCalls[0] ?? {}).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    const url = new URL(`http://x${resultNavigation()?.url ?? ''}`);
    expect(url.searchParams.get('errMsg')).toBe('requestPayment:ok');
    expect(url.searchParams.get('orderId')).toMatch(/\S+/);
    expect(resultNavigation()?.kind).toBe('redirectTo');
    expect(appCart.getState().lines).toEqual([]);
  });

  it('validates the subsidy form with the contract schema before anything is sent', async () => {
    server = await startScriptedServer();
    configureApp({ apiBaseUrl: server.url });
    appCart.add(fridge);
    render(<CartPage />);
    fireEvent.click(screen.getByRole('switch', { name: '申请国家补贴' }));
    fill('真实姓名', '张');
    fill('手机号', '123');
    submit();
    expect(await screen.findByText('请填写 2–40 字的真实姓名')).toBeTruthy();
    expect(screen.getByText('手机号须为 11 位数字')).toBeTruthy();
    expect(screen.getByText('请输入证件号码')).toBeTruthy();
    expect(screen.getByText('请选择收货地区')).toBeTruthy();
    expect(screen.getByText('请选择资格地区')).toBeTruthy();
    // Only the (unscripted) quote was asked for: no session, no order.
    expect(server.requests.filter((request) => request.path !== '/api/orders/quote')).toHaveLength(0);
    fill('手机号', '13800138000');
    expect(screen.queryByText('手机号须为 11 位数字')).toBeNull();
    expect(screen.getByText('请填写 2–40 字的真实姓名')).toBeTruthy();
  });

  it('sends a subsidy claim; a cancel at the cashier lands on the result page as cancelled', async () => {
    useRealStack('cancel');
    appCart.add(await realProduct('fridge-510'));
    render(<CartPage />);
    fireEvent.click(screen.getByRole('switch', { name: '申请国家补贴' }));
    fill('真实姓名', '张三');
    fireEvent.click(screen.getByText('港澳居民来往内地通行证'));
    fill('证件号码', 'H12345678');
    fill('手机号', '13800138000');
    pick('region', { value: ['广东省', '深圳市', '南山区'], code: ['440000', '440300', '440305'] });
    pick('city', { value: ['广东省', '深圳市'], code: ['440000', '440300'] });
    expect(screen.getByText('广东省 深圳市 南山区')).toBeTruthy();
    submit();
    await waitFor(() => expect(resultNavigation()).toBeDefined());
    const url = new URL(`http://x${resultNavigation()?.url ?? ''}`);
    expect(url.searchParams.get('errMsg')).toBe('requestPayment:fail cancel');
  });

  it('keeps the cart on a BFF error and retries with the same Idempotency-Key', async () => {
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    server.on('POST /api/orders', [
      { status: 503, body: { error: { code: 'PAYMENT_PROVIDER_UNAVAILABLE', message: '微信支付暂时不可用，请稍后重试' } } },
      { status: 201, body: { order: pendingOrder(), payment: paymentParams } },
    ]);
    configureApp({ apiBaseUrl: server.url });
    taroDouble.login = () => Promise.resolve({ code: 'c1' });
    taroDouble.requestPayment = () => Promise.reject({ errMsg: 'requestPayment:fail cancel' });
    appCart.add(kettle);
    render(<CartPage />);
    submit();
    expect(await screen.findByText('微信支付暂时不可用，请稍后重试')).toBeTruthy();
    expect(appCart.getState().lines).toHaveLength(1);
    submit();
    await waitFor(() => expect(resultNavigation()).toBeDefined());
    const keys = server.requests.filter((r) => r.path === '/api/orders').map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('H5 without a cashier never calls the requestPayment stub and reports that payment is unavailable', async () => {
    configureApp({ platform: 'h5', apiBaseUrl: inject('bffUrl'), emulatorUrl: inject('emulatorUrl') });
    taroDouble.requestPayment = () => Promise.resolve({ errMsg: 'requestPayment:ok' });
    appCart.add(await realProduct('kettle'));
    render(<CartPage />);
    await act(async () => {
      submit();
      await Promise.resolve();
    });
    await waitFor(() => expect(resultNavigation()).toBeDefined());
    expect(taroDouble.paymentCalls).toEqual([]);
    const errMsg = new URL(`http://x${resultNavigation()?.url ?? ''}`).searchParams.get('errMsg');
    expect(errMsg).toMatch(/^requestPayment:fail .*微信/);
  });

  it('shows the empty cart', () => {
    configureApp({ apiBaseUrl: 'http://127.0.0.1:9' });
    render(<CartPage />);
    expect(screen.getByText('购物车是空的')).toBeTruthy();
  });
});
