import type { Order } from '@checkout/protocol/contract';
import { useCallback, useEffect, useState } from 'react';
import { POLL_DELAYS_MS } from './poll-schedule';

export type OrderTruth =
  | { status: 'loading'; order: Order | null }
  | { status: 'settled'; order: Order }
  /** Still pending after the whole schedule: the BFF keeps checking with WeChat Pay. */
  | { status: 'still-pending'; order: Order }
  | { status: 'error'; order: Order | null; error: unknown };

/**
 * Asks the BFF for the order's real state. When `poll` is set (the buyer says they paid), keeps
 * asking with backoff until it leaves `pending`; otherwise asks once.
 */
export function useOrderTruth(getOrder: () => Promise<Order>, poll: boolean, schedule: readonly number[] = POLL_DELAYS_MS) {
  const [truth, setTruth] = useState<OrderTruth>({ status: 'loading', order: null });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: Order | null = null;
    const attempt = async (index: number): Promise<void> => {
      let order: Order;
      try {
        order = await getOrder();
      } catch (error) {
        if (live) setTruth({ status: 'error', order: last, error });
        return;
      }
      if (!live) return;
      last = order;
      const delay = schedule[index];
      if (order.status !== 'pending' || !poll) {
        setTruth({ status: 'settled', order });
      } else if (delay === undefined) {
        setTruth({ status: 'still-pending', order });
      } else {
        setTruth({ status: 'loading', order });
        timer = setTimeout(() => void attempt(index + 1), delay);
      }
    };
    setTruth((previous) => ({ status: 'loading', order: previous.order }));
    void attempt(0);
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [generation, poll]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { truth, refresh };
}
