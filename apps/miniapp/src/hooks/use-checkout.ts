import type { CreateOrderRequest, SubsidyBuyer } from '@checkout/protocol/contract';
import { useRef, useState } from 'react';
import { getAppServices } from '../services/app-services';
import { appCart } from '../state/app-cart';
import type { CartLine } from '../state/cart-store';
import { startPayment } from './start-payment';

export type CheckoutState =
  | { status: 'idle' }
  | { status: 'submitting'; step: 'ordering' | 'paying' }
  /** H5: on the way to the cashier. */
  | { status: 'leaving' }
  | { status: 'error'; error: unknown };

/** A new key per distinct request; a retry of the same request (e.g. after a timeout) reuses it. */
function newIdempotencyKey(): string {
  const random = () => Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return `ck-${Date.now().toString(36)}-${random()}${random()}`;
}

export function useCheckout() {
  const [state, setState] = useState<CheckoutState>({ status: 'idle' });
  const attempt = useRef<{ fingerprint: string; key: string } | null>(null);

  const submit = async (lines: readonly CartLine[], subsidy: SubsidyBuyer | undefined) => {
    if (state.status === 'submitting' || state.status === 'leaving') return;
    const request: CreateOrderRequest = {
      items: lines.map((line) => ({ productId: line.product.id, quantity: line.quantity })),
      ...(subsidy ? { subsidy } : {}),
    };
    const fingerprint = JSON.stringify(request);
    if (attempt.current?.fingerprint !== fingerprint) attempt.current = { fingerprint, key: newIdempotencyKey() };
    setState({ status: 'submitting', step: 'ordering' });
    try {
      const services = getAppServices();
      const { order, payment } = await services.api.createOrder(request, attempt.current.key);
      // The order exists now: the cart is done, whatever happens with the payment.
      attempt.current = null;
      appCart.clear();
      setState({ status: 'submitting', step: 'paying' });
      const outcome = await startPayment(services, order, payment);
      setState(outcome.kind === 'redirected' ? { status: 'leaving' } : { status: 'idle' });
    } catch (error) {
      setState({ status: 'error', error });
    }
  };

  return { state, submit };
}
