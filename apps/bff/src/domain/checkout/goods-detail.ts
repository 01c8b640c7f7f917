import { serializeGoodsDetail, WxPayValidationError, type GoodsDetailLine } from '@checkout/protocol/wxpay';
import type { OrderItemRecord } from '../orders/order-record';

/**
 * Order lines as unifiedorder `detail` (单品优惠). `price` is the unit price after the shop's own
 * discounts (the subsidy): a line whose discount does not divide by its quantity becomes two
 * lines (one fen apart) so the lines still add up to exactly what the buyer pays.
 */
function linesOf(item: OrderItemRecord): GoodsDetailLine[] {
  const paidFen = item.unitPriceFen * item.quantity - item.subsidyDiscountFen;
  const base = Math.floor(paidFen / item.quantity);
  const dearer = paidFen - base * item.quantity;
  // goods_name is optional and String(256): a longer name is left out rather than cut.
  const goodsName = Buffer.byteLength(item.name, 'utf8') <= 256 ? item.name : undefined;
  const line = (quantity: number, price: number): GoodsDetailLine => ({ goodsId: item.productId, ...(goodsName ? { goodsName } : {}), quantity, price });
  const lines = [line(item.quantity - dearer, base)];
  if (dearer > 0) lines.unshift(line(dearer, base + 1));
  return lines.filter((l) => l.quantity > 0);
}

/**
 * The `detail` JSON, or null when the lines cannot be described within the field's rules (a
 * product id over 32 bytes, a free line, over 6000 bytes): the order is then placed without
 * single-item discounts rather than refused.
 */
export function goodsDetailOf(items: readonly OrderItemRecord[]): string | null {
  try {
    return serializeGoodsDetail({ goods: items.flatMap(linesOf) });
  } catch (error) {
    if (error instanceof WxPayValidationError) return null;
    throw error;
  }
}
