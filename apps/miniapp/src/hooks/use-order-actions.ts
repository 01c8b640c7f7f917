import type { Order } from '@checkout/protocol/contract';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { getAppServices } from '../services/app-services';
import { startPayment } from './start-payment';

/** "Pay again" and "cancel" for a pending order, shared by the result and detail pages. */
export function useOrderActions(onChanged: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async (action: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return {
    busy,
    error,
    payAgain: (order: Order) =>
      run(async () => {
        const services = getAppServices();
        const { order: fresh, payment } = await services.api.payOrder(order.id);
        await startPayment(services, fresh, payment);
      }),
    cancel: (order: Order) =>
      run(async () => {
        // WeChat Pay closes an order no earlier than 5 minutes after it was placed: say so up front.
        const answer = await Taro.showModal({
          title: '取消订单？',
          content: '取消后订单将在几分钟内关闭，关闭前不会扣款，也不能再支付。',
          confirmText: '取消订单',
          cancelText: '再想想',
        });
        if (!answer.confirm) return;
        await getAppServices().api.cancelOrder(order.id);
        onChanged();
      }),
  };
}
