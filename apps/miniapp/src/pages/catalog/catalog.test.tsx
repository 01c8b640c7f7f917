import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { configureApp } from '../../../test/app-env';
import { taroDouble } from '../../../test/doubles/taro';
import { fridge, kettle } from '../../../test/fixtures';
import { startScriptedServer, type ScriptedServer } from '../../../test/scripted-server';
import { appCart } from '../../state/app-cart';
import CatalogPage from './index';

function cardOf(element: HTMLElement): HTMLElement {
  const card = element.closest<HTMLElement>('[data-testid^="product-"]');
  if (!card) throw new Error('product card not found');
  return card;
}

describe('catalog page', () => {
  let server: ScriptedServer | undefined;
  afterEach(() => server?.close());

  it('lists the real BFF catalog with prices from fen and the subsidy badge on appliances', async () => {
    configureApp({ apiBaseUrl: inject('bffUrl') });
    render(<CatalogPage />);
    expect(screen.getByText('加载中…')).toBeTruthy();
    const fridgeCard = cardOf(await screen.findByText('十字对开门冰箱 510L'));
    expect(within(fridgeCard).getByText('¥4299.00')).toBeTruthy();
    expect(within(fridgeCard).getByText('国补家电')).toBeTruthy();
    const kettleCard = cardOf(screen.getByText('电热水壶 1.7L'));
    expect(within(kettleCard).getByText('¥89.00')).toBeTruthy();
    expect(within(kettleCard).queryByText('国补家电')).toBeNull();
    // Each seeded product has its picture, served by the BFF the app talks to.
    const src = fridgeCard.querySelector('img')?.getAttribute('src');
    expect(src).toBe(`${inject('bffUrl')}/images/products/fridge-510.svg`);
    const image = await fetch(src ?? '');
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  });

  it('adds to the cart and opens checkout', async () => {
    server = await startScriptedServer();
    server.on('GET /api/products', { status: 200, body: { products: [fridge, kettle] } });
    configureApp({ apiBaseUrl: server.url });
    render(<CatalogPage />);
    const checkout = screen.getByRole<HTMLButtonElement>('button', { name: '去结算' });
    expect(checkout.disabled).toBe(true);
    fireEvent.click(await screen.findByText('加入购物车', { selector: `[data-testid="product-${kettle.id}"] button` }));
    fireEvent.click(screen.getByText('加入购物车 (1)'));
    expect(appCart.getState().lines).toEqual([{ product: kettle, quantity: 2 }]);
    expect(screen.getByText('购物车共 2 件')).toBeTruthy();
    fireEvent.click(checkout);
    expect(taroDouble.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/cart/index' }]);
  });

  it('shows the empty state', async () => {
    server = await startScriptedServer();
    server.on('GET /api/products', { status: 200, body: { products: [] } });
    configureApp({ apiBaseUrl: server.url });
    render(<CatalogPage />);
    expect(await screen.findByText('暂无商品')).toBeTruthy();
  });

  it('shows a server error with its message and retries', async () => {
    server = await startScriptedServer();
    server.on('GET /api/products', [
      { status: 503, body: { error: { code: 'INTERNAL_ERROR', message: '服务繁忙' } } },
      { status: 200, body: { products: [kettle] } },
    ]);
    configureApp({ apiBaseUrl: server.url });
    render(<CatalogPage />);
    expect(await screen.findByText('服务繁忙')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText(kettle.name)).toBeTruthy();
  });

  it('shows the offline state when the BFF cannot be reached', async () => {
    server = await startScriptedServer();
    const url = server.url;
    await server.close();
    server = undefined;
    configureApp({ apiBaseUrl: url });
    render(<CatalogPage />);
    expect(await screen.findByText('网络连接不可用')).toBeTruthy();
    expect(screen.getByRole('button', { name: '重试' })).toBeTruthy();
  });

  it('refuses a catalog that breaks the contract', async () => {
    server = await startScriptedServer();
    server.on('GET /api/products', { status: 200, body: { products: [{ ...kettle, priceFen: 12.5 }] } });
    configureApp({ apiBaseUrl: server.url });
    render(<CatalogPage />);
    expect(await screen.findByText(/服务器返回了无法识别的数据/)).toBeTruthy();
    expect(screen.queryByText(kettle.name)).toBeNull();
  });

  it('shows a configuration error instead of crashing', async () => {
    configureApp({ apiBaseUrl: 'not a url' });
    render(<CatalogPage />);
    expect(await screen.findByText('应用配置有误，请联系客服')).toBeTruthy();
  });
});
