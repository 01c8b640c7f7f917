import type { Order } from '@checkout/protocol/contract';
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
        await getAppServices().api.cancelOrder(order.id);
        onChanged();
      }),
  };
}
