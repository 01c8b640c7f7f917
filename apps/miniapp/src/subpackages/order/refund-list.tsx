import { formatFen, type Order, type OrderRefund } from '@checkout/protocol/contract';
import { Text, View } from '@tarojs/components';
import { formatDate } from '../../format-date';

const stateLabels: Record<OrderRefund['state'], string> = {
  processing: '退款中',
  succeeded: '已退款',
  failed: '退款未成功',
  abnormal: '退款异常，客服将联系您',
};

/** The order's refunds, oldest first: what, how much, and when the money arrived. */
export function RefundList({ order }: { order: Order }) {
  if (order.refunds.length === 0) return null;
  return (
    <View className='card refunds' data-testid='refunds'>
      <Text className='refunds__title'>退款记录{order.refundedFen > 0 ? ` · 已退 ${formatFen(order.refundedFen)}` : ''}</Text>
      {order.refunds.map((refund) => (
        <View className='refunds__row' key={refund.id}>
          <Text className='refunds__state'>{stateLabels[refund.state]}</Text>
          <Text className='price'>{formatFen(refund.amountFen)}</Text>
          <Text className='refunds__time'>{refund.succeededAt ? `到账 ${formatDate(refund.succeededAt)}` : `申请 ${formatDate(refund.createdAt)}`}</Text>
        </View>
      ))}
    </View>
  );
}
