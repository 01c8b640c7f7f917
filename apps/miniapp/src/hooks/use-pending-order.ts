import type { Order } from '@checkout/protocol/contract';
import { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { getAppServices } from '../services/app-services';

/**
 * The buyer's newest order still waiting for payment, e.g. after leaving the cashier with the
 * back button. Asks only when a session is already held: an empty cart never forces a login.
 */
export function usePendingOrder(enabled: boolean): Order | null {
  const [order, setOrder] = useState<Order | null>(null);
  const asked = useRef(0);

  useDidShow(() => {
    if (!enabled) return;
    const call = ++asked.current;
    let services;
    try {
      services = getAppServices();
    } catch {
      return;
    }
    if (services.api.session.held() === null) return;
    services.api.listOrders({ limit: 5 }).then(
      (page) => {
        if (call !== asked.current) return;
        setOrder(page.orders.find((candidate) => candidate.status === 'pending' && !candidate.cancelRequested && Date.parse(candidate.expiresAt) > Date.now()) ?? null);
      },
      // A hint, not a screen: without it the page still works.
      () => undefined,
    );
  });

  return order;
}
