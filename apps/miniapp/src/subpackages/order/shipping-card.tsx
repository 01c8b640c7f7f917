import type { Order, OrderShipping } from '@checkout/protocol/contract';
import { Button, Text, View } from '@tarojs/components';
import { formatDate } from '../../format-date';

const statusLabels: Record<OrderShipping['status'], string> = {
  not_shipped: '未发货',
  partially_shipped: '部分发货',
  shipped: '已发货',
  received: '已确认收货',
};

const fulfillmentNotes: Record<OrderShipping['fulfillment'], string | null> = {
  courier: null,
  virtual: '虚拟商品，无需物流',
  pickup: '到店自提',
};

/**
 * The order's shipping: state, and each parcel's courier and tracking number. `onConfirmReceipt`
 * is given only where WeChat's receipt confirmation exists (the weapp build); H5 shows the state.
 */
export function ShippingCard({ order, onConfirmReceipt, busy }: { order: Order; onConfirmReceipt?: () => void; busy?: boolean }) {
  const shipping = order.shipping;
  if (!shipping) return null;
  const note = fulfillmentNotes[shipping.fulfillment];
  return (
    <View className='card shipping' data-testid='shipping'>
      <View className='shipping__head'>
        <Text className='shipping__title'>物流信息</Text>
        <Text className='shipping__state'>{statusLabels[shipping.status]}</Text>
      </View>
      {note ? <Text className='shipping__note'>{note}</Text> : null}
      {shipping.parcels.map((parcel) => (
        <View className='shipping__parcel' key={parcel.trackingNo}>
          <Text>{parcel.expressCompanyName ?? parcel.expressCompany}</Text>
          <Text selectable className='shipping__tracking'>
            运单号 {parcel.trackingNo}
          </Text>
        </View>
      ))}
      {shipping.receivedAt ? <Text className='shipping__note'>收货时间 {formatDate(shipping.receivedAt)}</Text> : null}
      {shipping.confirmReceipt && onConfirmReceipt ? (
        <Button className='btn btn--primary shipping__confirm' loading={busy || undefined} disabled={busy || undefined} onClick={onConfirmReceipt}>
          确认收货
        </Button>
      ) : null}
    </View>
  );
}
