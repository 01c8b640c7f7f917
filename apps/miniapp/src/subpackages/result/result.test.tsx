import type { Product } from '@checkout/protocol/contract';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { configureApp } from '../../../test/app-env';
import { taroDouble } from '../../../test/doubles/taro';
import { pendingOrder, session } from '../../../test/fixtures';
import { startScriptedServer, type ScriptedServer } from '../../../test/scripted-server';
import { emulatorLoginCode, emulatorRequestPayment, type CashierAction } from '../../../test/wechat-client';
import { getAppServices } from '../../services/app-services';
import { appCart } from '../../state/app-cart';
import ResultPage from './index';

// Short backoff so "still pending after the whole schedule" is reachable in a test.
vi.mock('../../hooks/poll-schedule', () => ({ POLL_DELAYS_MS: [20, 20, 20], FAILURE_RECHECK_DELAYS_MS: [20, 1000, 2000, 3000] }));

const headline = () => screen.getByTestId('result-headline').textContent ?? '';

/** Orders through the app's own API client (so the page shares its session), then runs the cashier. */
async function orderAndPay(productId: string, action: CashierAction, subsidy = false) {
  configureApp({ apiBaseUrl: inject('bffUrl') });
  taroDouble.login = emulatorLoginCode(inject('emulatorUrl'));
  const api = getAppServices().api;
  const products: Product[] = await api.listProducts();
  const product = products.find((candidate) => candidate.id === productId);
  if (!product) throw new Error(`no ${productId}`);
  const { order, payment } = await api.createOrder(
    {
      items: [{ productId, quantity: 1 }],
      ...(subsidy
        ? { subsidy: { realName: '张三', identityDocumentType: 'ID_DOC_TYPE_ID_CARD', idCardNumber: '11010519491231002X', phoneNumber: '13800138000', receiveRegionCode: '440305', qualificationRegionCode: 440300 } }
        : {}),
    },
    `test-${Math.random()}`,
  );
  const pay = emulatorRequestPayment(inject('emulatorUrl'), () => action);
  const errMsg = await pay({ ...payment }).then(
    (result) => result.errMsg,
    (failure: { errMsg: string }) => failure.errMsg,
  );
  return { order, errMsg };
}

describe('result page against the real BFF', () => {
  it('asks the BFF until the order is paid and shows 支付成功 with the subsidy discount', async () => {
    const { order, errMsg } = await orderAndPay('fridge-510', 'pay', true);
    expect(errMsg).toBe('requestPayment:ok');
    taroDouble.routerParams = { orderId: order.id, errMsg: encodeURIComponent(errMsg) };
    render(<ResultPage />);
    await waitFor(() => expect(headline()).toContain('支付成功'), { timeout: 10_000 });
    expect(screen.getByText('国家补贴')).toBeTruthy();
    expect(order.subsidyDiscountFen).toBeGreaterThan(0);
    expect(screen.getByText(`-¥${Math.floor(order.subsidyDiscountFen / 100)}.${String(order.subsidyDiscountFen % 100).padStart(2, '0')}`)).toBeTruthy();
  });

  it('after a cancel shows 已取消支付 and pays again with fresh params', async () => {
    const { order, errMsg } = await orderAndPay('kettle', 'cancel');
    taroDouble.routerParams = { orderId: order.id, errMsg };
    taroDouble.requestPayment = emulatorRequestPayment(inject('emulatorUrl'), () => 'pay');
    render(<ResultPage />);
    await waitFor(() => expect(headline()).toContain('已取消支付'));
    fireEvent.click(screen.getByRole('button', { name: '重新支付' }));
    await waitFor(() => expect(taroDouble.navigations.at(-1)?.url).toBe(`/subpackages/result/index?orderId=${encodeURIComponent(order.id)}&errMsg=requestPayment%3Aok`));
    expect(taroDouble.paymentCalls).toHaveLength(1);
  });

  it('a payment failed at the cashier ends with 重新下单: the same items back in the cart, and on to the cart', async () => {
    const { order, errMsg } = await orderAndPay('kettle', 'fail');
    taroDouble.routerParams = { orderId: order.id, errMsg };
    render(<ResultPage />);
    // WeChat Pay's FAIL notification closes the order at the BFF: the page re-asks and sees it.
    await waitFor(() => expect(headline()).toContain('该订单已关闭'));
    fireEvent.click(screen.getByRole('button', { name: '查看订单' }));
    expect(taroDouble.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: `/subpackages/order/index?orderId=${encodeURIComponent(order.id)}` });
    expect(screen.queryByRole('button', { name: '重新支付' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '重新下单' }));
    await waitFor(() => expect(taroDouble.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: '/pages/cart/index' }));
    expect(appCart.getState().lines.map((line) => [line.product.id, line.quantity])).toEqual([['kettle', 1]]);
  });

  it('cancels a pending order on request', async () => {
    const { order, errMsg } = await orderAndPay('kettle', 'cancel');
    taroDouble.routerParams = { orderId: order.id, errMsg };
    render(<ResultPage />);
    await waitFor(() => expect(headline()).toContain('已取消支付'));
    // "再想想" in the confirmation: nothing is sent, the order stays payable.
    taroDouble.modalConfirms = false;
    fireEvent.click(screen.getByRole('button', { name: '取消订单' }));
    await waitFor(() => expect(taroDouble.modals).toHaveLength(1));
    expect(taroDouble.modals[0]?.content).toContain('几分钟内关闭');
    expect(screen.getByRole('button', { name: '重新支付' })).toBeTruthy();
    taroDouble.modalConfirms = true;
    fireEvent.click(screen.getByRole('button', { name: '取消订单' }));
    await waitFor(() => expect(headline()).toMatch(/正在取消|订单已关闭/));
    expect(taroDouble.modals).toHaveLength(2);
    expect(screen.queryByRole('button', { name: '重新支付' })).toBeNull();
  });
});

describe('result page states', () => {
  let server: ScriptedServer;
  afterEach(() => server.close());

  async function scripted(answers: Parameters<ScriptedServer['on']>[1], errMsg: string) {
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    server.on('GET /api/orders/ord_1', answers);
    configureApp({ apiBaseUrl: server.url });
    taroDouble.login = () => Promise.resolve({ code: 'c' });
    taroDouble.routerParams = { orderId: 'ord_1', errMsg };
    render(<ResultPage />);
  }

  it('polls with backoff until paid', async () => {
    await scripted(
      [
        { status: 200, body: { order: pendingOrder() } },
        { status: 200, body: { order: pendingOrder() } },
        { status: 200, body: { order: pendingOrder({ status: 'paid', paidAt: '2026-11-25T08:01:00.000Z' }) } },
      ],
      'requestPayment:ok',
    );
    await waitFor(() => expect(headline()).toContain('支付成功'));
    expect(server.requests.filter((r) => r.path === '/api/orders/ord_1')).toHaveLength(3);
  });

  it('stops polling after the schedule and offers a refresh', async () => {
    await scripted({ status: 200, body: { order: pendingOrder() } }, 'requestPayment:ok');
    await waitFor(() => expect(headline()).toContain('支付结果确认中'));
    expect(server.requests.filter((r) => r.path === '/api/orders/ord_1')).toHaveLength(4);
    fireEvent.click(screen.getByRole('button', { name: '刷新' }));
    await waitFor(() => expect(server.requests.filter((r) => r.path === '/api/orders/ord_1').length).toBeGreaterThan(4));
  });

  it('does not trust requestPayment:ok: a closed order is shown as closed', async () => {
    await scripted({ status: 200, body: { order: pendingOrder({ status: 'closed', closedAt: '2026-11-25T08:30:00.000Z' }) } }, 'requestPayment:ok');
    await waitFor(() => expect(headline()).toContain('订单已关闭'));
    expect(screen.queryByRole('button', { name: '重新支付' })).toBeNull();
  });

  it('shows a failure with its reason and pay again', async () => {
    await scripted({ status: 200, body: { order: pendingOrder() } }, 'requestPayment:fail 余额不足');
    await waitFor(() => expect(headline()).toContain('支付未完成'));
    expect(headline()).toContain('原因：余额不足');
    // Asked again over the short re-check schedule, still pending: the same order can be paid again.
    expect(await screen.findByRole('button', { name: '重新支付' })).toBeTruthy();
    expect(server.requests.filter((r) => r.path === '/api/orders/ord_1')).toHaveLength(5);
  });

  it('shows a failed payment reported by the BFF', async () => {
    await scripted({ status: 200, body: { order: pendingOrder({ status: 'failed' }) } }, 'requestPayment:ok');
    await waitFor(() => expect(headline()).toContain('支付失败'));
  });

  it('shows the error when the order cannot be loaded', async () => {
    await scripted({ status: 404, body: { error: { code: 'ORDER_NOT_FOUND', message: '订单不存在' } } }, 'requestPayment:ok');
    expect(await screen.findByText('订单不存在')).toBeTruthy();
  });
});
