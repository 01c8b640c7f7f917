import type { Order } from '@checkout/protocol/contract';
import type { OrderRecord } from '../domain/orders/order-record';

/** Stored order → contract Order. Internal fields (prepay_id, openid, transaction id…) stay inside. */
export function toOrderView(order: OrderRecord): Order {
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
  };
}
