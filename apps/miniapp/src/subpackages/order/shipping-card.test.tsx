import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderShipping } from '@checkout/protocol/contract';
import { configureApp } from '../../../test/app-env';
import { taroDouble } from '../../../test/doubles/taro';
import { pendingOrder, session } from '../../../test/fixtures';
import { startScriptedServer, type ScriptedServer } from '../../../test/scripted-server';
import OrderDetailPage from './index';

const shippedByCourier: OrderShipping = {
  fulfillment: 'courier',
  status: 'shipped',
  parcels: [
    { trackingNo: 'ZT100001', expressCompany: 'ZTO', expressCompanyName: '中通快递' },
    { trackingNo: 'XY9', expressCompany: 'XYZ', expressCompanyName: null },
  ],
  confirmReceipt: { merchantId: '1900000001', merchantTradeNo: 'CK20261125000001' },
  receivedAt: null,
};
const paid = (shipping: OrderShipping | null) => pendingOrder({ status: 'paid', paidAt: '2026-11-25T08:02:00.000Z', shipping });

describe('order detail: shipping', () => {
  let server: ScriptedServer;
  afterEach(() => server.close());

  async function open(platform: 'weapp' | 'h5', answers: { status: number; body: unknown }[]) {
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    server.on('GET /api/orders/ord_1', answers);
    // H5 has no wx.login: it asks the emulator (here the scripted server) for a code.
    server.on('POST /__emulator/login-codes', { status: 200, body: { code: 'c' } });
    configureApp({ platform, apiBaseUrl: server.url, emulatorUrl: server.url });
    taroDouble.login = () => Promise.resolve({ code: 'c' });
    taroDouble.routerParams = { orderId: 'ord_1' };
    render(<OrderDetailPage />);
    return screen.findByTestId('shipping');
  }

  it('weapp: shows 已发货 with courier and tracking numbers, and 确认收货 opens WeChat’s component, then re-reads the order', async () => {
    taroDouble.openBusinessView = () => Promise.resolve({ errMsg: 'openBusinessView:ok' });
    const card = await open('weapp', [
      { status: 200, body: { order: paid(shippedByCourier) } },
      { status: 200, body: { order: paid({ ...shippedByCourier, status: 'received', confirmReceipt: null, receivedAt: '2026-11-26T02:00:00.000Z' }) } },
    ]);
    expect(card.textContent).toContain('已发货');
    expect(card.textContent).toContain('中通快递');
    expect(card.textContent).toContain('运单号 ZT100001');
    expect(card.textContent).toContain('XYZ');
    fireEvent.click(screen.getByRole('button', { name: '确认收货' }));
    await waitFor(() => expect(screen.getByTestId('shipping').textContent).toContain('已确认收货'));
    expect(taroDouble.businessViewCalls).toEqual([{ businessType: 'weappOrderConfirm', extraData: { merchant_id: '1900000001', merchant_trade_no: 'CK20261125000001' } }]);
    expect(screen.getByTestId('shipping').textContent).toContain('收货时间 2026-11-26 10:00');
    expect(screen.queryByRole('button', { name: '确认收货' })).toBeNull();
    expect(server.requests.filter((r) => r.path.startsWith('/api/orders/ord_1'))).toHaveLength(2);
  });

  it('H5 shows the state only: no 确认收货', async () => {
    const card = await open('h5', [{ status: 200, body: { order: paid(shippedByCourier) } }]);
    expect(card.textContent).toContain('已发货');
    expect(screen.queryByRole('button', { name: '确认收货' })).toBeNull();
  });

  it('未发货 for a courier order awaiting the shop', async () => {
    const card = await open('weapp', [{ status: 200, body: { order: paid({ fulfillment: 'courier', status: 'not_shipped', parcels: [], confirmReceipt: null, receivedAt: null }) } }]);
    expect(card.textContent).toContain('未发货');
    expect(screen.queryByRole('button', { name: '确认收货' })).toBeNull();
  });

  it('virtual goods say so; an unpaid order has no shipping block', async () => {
    const virtual = await open('weapp', [{ status: 200, body: { order: paid({ fulfillment: 'virtual', status: 'shipped', parcels: [], confirmReceipt: null, receivedAt: null }) } }]);
    expect(virtual.textContent).toContain('虚拟商品，无需物流');
    cleanup();
    await server.close();
    server = await startScriptedServer();
    server.on('POST /api/session', session());
    server.on('GET /api/orders/ord_1', { status: 200, body: { order: pendingOrder({ shipping: null }) } });
    configureApp({ apiBaseUrl: server.url });
    render(<OrderDetailPage />);
    expect(await screen.findByRole('button', { name: '去支付' })).toBeTruthy();
    expect(screen.queryByTestId('shipping')).toBeNull();
  });
});
