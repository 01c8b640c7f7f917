import type { Quote } from '@checkout/protocol/contract';
import { useEffect, useState } from 'react';
import { getAppServices } from '../services/app-services';
import type { CartLine } from '../state/cart-store';

export type CartQuote = { status: 'idle' } | { status: 'loading'; previous: Quote | null } | { status: 'ready'; quote: Quote } | { status: 'error'; error: unknown };

/**
 * The BFF's price for the cart as it stands (lines, subsidy claimed or not): the amounts shown
 * before paying come from the server, never from the client. An answer for an older cart is dropped.
 */
export function useCartQuote(lines: readonly CartLine[], claimSubsidy: boolean): CartQuote {
  const [state, setState] = useState<CartQuote>({ status: 'idle' });
  const key = JSON.stringify({ items: lines.map((line) => [line.product.id, line.quantity]), claimSubsidy });

  useEffect(() => {
    if (lines.length === 0) {
      setState({ status: 'idle' });
      return undefined;
    }
    let live = true;
    setState((previous) => ({ status: 'loading', previous: previous.status === 'ready' ? previous.quote : previous.status === 'loading' ? previous.previous : null }));
    new Promise<Quote>((resolve) => resolve(getAppServices().api.quoteOrder({ items: lines.map((line) => ({ productId: line.product.id, quantity: line.quantity })), claimSubsidy }))).then(
      (quote) => live && setState({ status: 'ready', quote }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
    // The key captures lines and claimSubsidy by value.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return state;
}
