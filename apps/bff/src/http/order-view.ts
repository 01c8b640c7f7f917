import type { Order, OrderRefund, OrderShipping } from '@checkout/protocol/contract';
import type { RefundStatus } from '../domain/refunds/refund-record';
import type { OrderRecord } from '../domain/orders/order-record';

/**
 * Stored order → contract Order. Internal fields (prepay_id, openid, transaction id…) stay inside.
 * `shipping`: the order's shipping block when the caller loaded it (omitted otherwise).
 */
export function toOrderView(order: OrderRecord, shipping?: OrderShipping | null): Order {
  return {
    id: order.id,
    outTradeNo: order.outTradeNo,
    status: order.status,
    items: order.items.map((item) => ({
      productId: item.productId,
      name: item.name,
      quantity: item.quantity,
      unitPriceFen: item.unitPriceFen,
      subsidyDiscountFen: item.subsidyDiscountFen,
    })),
    totalFen: order.totalFen,
    subsidyDiscountFen: order.subsidyDiscountFen,
    payableFen: order.payableFen,
    cancelRequested: order.cancelRequested,
    createdAt: order.createdAt.toISOString(),
    expiresAt: order.expiresAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    closedAt: order.closedAt?.toISOString() ?? null,
    refunds: order.refunds.map((refund) => ({
      id: refund.id,
      amountFen: refund.refundFen,
      state: refundState[refund.status],
      createdAt: refund.createdAt.toISOString(),
      succeededAt: refund.succeededAt?.toISOString() ?? null,
    })),
    refundedFen: order.refundedFen,
    ...(shipping === undefined ? {} : { shipping }),
  };
}

/** The buyer's view of a refund: whether it is still unsettled at WeChat Pay is not theirs to see. */
const refundState: Readonly<Record<RefundStatus, OrderRefund['state']>> = {
  requested: 'processing',
  processing: 'processing',
  succeeded: 'succeeded',
  closed: 'failed',
  refused: 'failed',
  abnormal: 'abnormal',
};
