import { formatFen, type Order } from '@checkout/protocol/contract';
import { Text, View } from '@tarojs/components';

/** Lines and totals exactly as the BFF priced them. */
export function OrderSummary({ order }: { order: Order }) {
  return (
    <View className='card summary'>
      {order.items.map((item) => (
        <View className='summary__line' key={item.productId}>
          <Text className='summary__name'>
            {item.name} × {item.quantity}
          </Text>
          <Text>{formatFen(item.unitPriceFen * item.quantity)}</Text>
        </View>
      ))}
      <View className='summary__line summary__line--muted'>
        <Text>商品金额</Text>
        <Text>{formatFen(order.totalFen)}</Text>
      </View>
      {order.subsidyDiscountFen > 0 ? (
        <View className='summary__line summary__line--discount'>
          <Text>国家补贴</Text>
          <Text>-{formatFen(order.subsidyDiscountFen)}</Text>
        </View>
      ) : null}
      <View className='summary__line summary__line--total'>
        <Text>实付金额</Text>
        <Text className='price'>{formatFen(order.payableFen)}</Text>
      </View>
      <View className='summary__meta'>
        <Text>订单号 {order.outTradeNo}</Text>
      </View>
    </View>
  );
}
