import type { Order } from '@checkout/protocol/contract';
import { Text } from '@tarojs/components';

const labels: Record<Order['status'], string> = {
  pending: '待支付',
  paid: '已支付',
  closed: '已关闭',
  failed: '支付失败',
  partially_refunded: '部分退款',
  refunded: '已退款',
};

export function orderStatusLabel(order: Order): string {
  if (order.status === 'pending' && order.cancelRequested) return '取消中';
  if (order.refunds.some((refund) => refund.state === 'processing')) return '退款中';
  return labels[order.status];
}

export function OrderStatusTag({ order }: { order: Order }) {
  return <Text className={`tag tag--${order.status}`}>{orderStatusLabel(order)}</Text>;
}
