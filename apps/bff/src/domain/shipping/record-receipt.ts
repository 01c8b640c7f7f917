import type { OrderRepository } from '../orders/order-repository';
import type { UnitOfWork } from '../ports/unit-of-work';

/** WeChat's `trade_manage_order_settlement` push: the buyer confirmed receipt (or it was automatic) and the money settles. */
export interface SettlementEvent {
  transactionId: string;
  merchantId: string;
  merchantTradeNo: string;
  /** 1 / 2: the docs and real pushes disagree on which is manual; stored as received, never interpreted. */
  confirmReceiveMethod: number | null;
  confirmReceiveTime: Date | null;
  settlementTime: Date | null;
}

export type ReceiptOutcome = 'recorded' | 'duplicate' | 'unknown_order';

/**
 * Marks the order received, as data: nothing about money follows from it. The event must name
 * one of our payments exactly (merchant, out_trade_no and transaction_id), else it changes nothing.
 */
export async function recordReceipt(
  deps: { orders: Pick<OrderRepository, 'findPaymentTarget'>; unitOfWork: UnitOfWork; clock: { now(): Date } },
  event: SettlementEvent,
): Promise<ReceiptOutcome> {
  const target = await deps.orders.findPaymentTarget(event.merchantTradeNo);
  if (!target || target.mchId !== event.merchantId || target.transactionId !== event.transactionId) return 'unknown_order';
  const now = deps.clock.now();
  return deps.unitOfWork.run(async (scope) => {
    const shipping = await scope.shipping.findForUpdate(target.id);
    if (!shipping) return 'unknown_order';
    const marked = await scope.shipping.markReceived(
      target.id,
      { receivedAt: event.confirmReceiveTime ?? now, confirmReceiveMethod: event.confirmReceiveMethod, settlementTime: event.settlementTime },
      now,
    );
    return marked ? 'recorded' : 'duplicate';
  });
}
