import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { configureApp } from '../../../test/app-env';
import { taroDouble } from '../../../test/doubles/taro';
import { pendingOrder, session } from '../../../test/fixtures';
import { startScriptedServer, type ScriptedServer } from '../../../test/scripted-server';
import { emulatorLoginCode } from '../../../test/wechat-client';
import { getAppServices } from '../../services/app-services';
import OrderDetailPage from '../../subpackages/order/index';
import OrdersPage from './index';

describe('order history', () => {
  let server: ScriptedServer | undefined;
  afterEach(() => server?.close());

  it('shows a new buyer the empty state, then their order from the real BFF', async () => {
    configureApp({ apiBaseUrl: inject('bffUrl') });
    taroDouble.login = emulatorLoginCode(inject('emulatorUrl'));
    const first = render(<OrdersPage />);
    expect(await screen.findByText('暂无订单')).toBeTruthy();
    first.unmount();

    const { order } = await getAppServices().api.createOrder({ items: [{ productId: 'kettle', quantity: 3 }] }, `k-${Math.random()}`);
    render(<OrdersPage />);
    const row = await screen.findByTestId(`order-${order.id}`);
    expect(row.textContent).toContain('电热水壶 1.7L × 3');
    expect(row.textContent).toContain('待支付');
    expect(row.textContent).toContain('¥267.00');
    fireEvent.click(row);
    expect(taroDouble.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: `/subpackages/order/index?orderId=${encodeURIComponent(order.id)}` });
  });

  it('loads the next page with the cursor', async () => {
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    server.on('GET /api/orders', (request) =>
      request.path.includes('cursor=c2')
        ? { status: 200, body: { orders: [pendingOrder({ id: 'ord_2', status: 'paid' })], nextCursor: null } }
        : { status: 200, body: { orders: [pendingOrder({ id: 'ord_1' })], nextCursor: 'c2' } },
    );
    configureApp({ apiBaseUrl: server.url });
    taroDouble.login = () => Promise.resolve({ code: 'c' });
    render(<OrdersPage />);
    await screen.findByTestId('order-ord_1');
    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    expect((await screen.findByTestId('order-ord_2')).textContent).toContain('已支付');
    expect(screen.queryByRole('button', { name: '加载更多' })).toBeNull();
  });

  it('shows the offline state and retries', async () => {
    server = await startScriptedServer();
    const url = server.url;
    await server.close();
    server = undefined;
    configureApp({ apiBaseUrl: url });
    taroDouble.login = () => Promise.resolve({ code: 'c' });
    render(<OrdersPage />);
    expect(await screen.findByText('网络连接不可用')).toBeTruthy();
  });
});

describe('order detail', () => {
  let server: ScriptedServer;
  afterEach(() => server.close());

  it('offers pay and cancel for a pending order, and cancels it', async () => {
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    server.on('GET /api/orders/ord_1', [
      { status: 200, body: { order: pendingOrder() } },
      { status: 200, body: { order: pendingOrder({ cancelRequested: true }) } },
    ]);
    server.on('POST /api/orders/ord_1/cancel', { status: 200, body: { order: pendingOrder({ cancelRequested: true }) } });
    configureApp({ apiBaseUrl: server.url });
    taroDouble.login = () => Promise.resolve({ code: 'c' });
    taroDouble.routerParams = { orderId: 'ord_1' };
    render(<OrderDetailPage />);
    expect(await screen.findByRole('button', { name: '去支付' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '取消订单' }));
    await waitFor(() => expect(screen.getByText('取消中')).toBeTruthy());
    expect(screen.queryByRole('button', { name: '去支付' })).toBeNull();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toContain('POST /api/orders/ord_1/cancel');
  });

  it('a refunded order in the list says how much came back', async () => {
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    const refund = { id: 'r1', amountFen: 1000, state: 'succeeded', createdAt: '2026-11-25T09:00:00.000Z', succeededAt: '2026-11-25T09:01:00.000Z' } as const;
    server.on('GET /api/orders', { status: 200, body: { orders: [pendingOrder({ status: 'partially_refunded', paidAt: '2026-11-25T08:02:00.000Z', refunds: [refund], refundedFen: 1000 })], nextCursor: null } });
    configureApp({ apiBaseUrl: server.url });
    taroDouble.login = () => Promise.resolve({ code: 'c' });
    render(<OrdersPage />);
    const row = await screen.findByTestId('order-ord_1');
    expect(row.textContent).toContain('部分退款');
    expect(row.textContent).toContain('¥258.00已退款 ¥10.00');
    expect(row.textContent).toContain('2026-11-25 16:00');
  });

  it('shows the refunds of a partly refunded order: amounts, states and when the money arrived', async () => {
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    const refunds = [
      { id: 'r1', amountFen: 1000, state: 'succeeded', createdAt: '2026-11-25T09:00:00.000Z', succeededAt: '2026-11-25T09:01:00.000Z' },
      { id: 'r2', amountFen: 500, state: 'processing', createdAt: '2026-11-25T10:00:00.000Z', succeededAt: null },
    ] as const;
    server.on('GET /api/orders/ord_1', { status: 200, body: { order: pendingOrder({ status: 'partially_refunded', paidAt: '2026-11-25T08:02:00.000Z', refunds: [...refunds], refundedFen: 1000 }) } });
    configureApp({ apiBaseUrl: server.url });
    taroDouble.login = () => Promise.resolve({ code: 'c' });
    taroDouble.routerParams = { orderId: 'ord_1' };
    render(<OrderDetailPage />);
    const list = await screen.findByTestId('refunds');
    expect(list.textContent).toContain('退款记录 · 已退 ¥10.00');
    expect(list.textContent).toContain('已退款¥10.00到账 2026-11-25 17:01');
    expect(list.textContent).toContain('退款中¥5.00申请 2026-11-25 18:00');
    // One refund still on its way: the tag says so rather than 部分退款.
    expect(screen.getByText('退款中', { selector: '.tag' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '去支付' })).toBeNull();
  });

  it('shows a paid order without actions', async () => {
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    server.on('GET /api/orders/ord_1', { status: 200, body: { order: pendingOrder({ status: 'paid', paidAt: '2026-11-25T08:02:00.000Z' }) } });
    configureApp({ apiBaseUrl: server.url });
    taroDouble.login = () => Promise.resolve({ code: 'c' });
    taroDouble.routerParams = { orderId: 'ord_1' };
    render(<OrderDetailPage />);
    expect(await screen.findByText('支付时间 2026-11-25 16:02')).toBeTruthy();
    expect(screen.getByText('已支付')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '去支付' })).toBeNull();
  });
});
