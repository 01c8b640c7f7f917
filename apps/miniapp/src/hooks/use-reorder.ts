import type { Order } from '@checkout/protocol/contract';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { routes } from '../routes';
import { getAppServices } from '../services/app-services';
import { appCart } from '../state/app-cart';

/**
 * "重新下单": a closed or failed order cannot be paid again (a new out_trade_no is needed), so its
 * items go back into the cart, at today's catalog prices, and the buyer checks out anew.
 */
export function useReorder() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reorder = async (order: Order) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const products = await getAppServices().api.listProducts();
      const available = order.items.flatMap((item) => {
        const product = products.find((candidate) => candidate.id === item.productId);
        return product ? [{ product, quantity: item.quantity }] : [];
      });
      appCart.clear();
      for (const line of available) {
        appCart.add(line.product);
        appCart.setQuantity(line.product.id, line.quantity);
      }
      if (available.length < order.items.length) void Taro.showToast({ title: '部分商品已下架', icon: 'none', duration: 2000 }).catch(() => undefined);
      await Taro.navigateTo({ url: routes.cart });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return { busy, error, reorder };
}
