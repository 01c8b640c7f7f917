import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { formatDate } from '../../format-date';
import { OrderStatusTag } from '../../components/order-status-tag';
import { OrderSummary } from '../../components/order-summary';
import { PageHeader } from '../../components/page-header';
import { ErrorView, LoadingView } from '../../components/status-view';
import { useOrderActions } from '../../hooks/use-order-actions';
import { useOrderTruth } from '../../hooks/use-order-truth';
import { useReorder } from '../../hooks/use-reorder';
import { parseResultParams } from '../../routes';
import { getAppServices } from '../../services/app-services';
import { RefundList } from './refund-list';
import { openReceiptConfirmation, type OpenBusinessView } from './receipt-confirmation';
import { ShippingCard } from './shipping-card';
import './index.css';

export default function OrderDetailPage() {
  const router = useRouter();
  const { orderId } = parseResultParams(router.params);
  const { truth, refresh } = useOrderTruth(
    () => (orderId ? getAppServices().api.getOrder(orderId) : Promise.reject(new Error('missing orderId'))),
    false,
  );
  const actions = useOrderActions(refresh);
  const [confirming, setConfirming] = useState(false);
  const again = useReorder();

  if (truth.order === null) {
    return (
      <View className='page order'>
        <PageHeader title='订单详情' />
        {truth.status === 'error' ? <ErrorView error={truth.error} onRetry={refresh} /> : <LoadingView />}
      </View>
    );
  }
  const order = truth.order;
  const confirmReceipt = order.shipping?.confirmReceipt;
  // Only the weapp build has WeChat's receipt confirmation component (base library ≥ 2.6.0).
  // Taro's typings know only the 支付分 business types; weappOrderConfirm takes these fields.
  const openBusinessView: OpenBusinessView | null =
    getAppServices().config.platform === 'weapp' && typeof Taro.openBusinessView === 'function'
      ? (options) => Taro.openBusinessView(options as unknown as Parameters<typeof Taro.openBusinessView>[0])
      : null;
  const onConfirmReceipt =
    confirmReceipt && openBusinessView
      ? () => {
          setConfirming(true);
          void openReceiptConfirmation(openBusinessView, confirmReceipt).then((outcome) => {
            setConfirming(false);
            if (outcome.kind === 'failed') void Taro.showToast({ title: '未能打开确认收货，请稍后重试', icon: 'none' });
            // Whatever the component said, the order's state comes from the BFF.
            refresh();
          });
        }
      : undefined;
  const payable = order.status === 'pending' && !order.cancelRequested;
  return (
    <View className='page order'>
      <PageHeader title='订单详情' />
      <View className='card order-head'>
        <OrderStatusTag order={order} />
        <Text className='order-head__line'>下单时间 {formatDate(order.createdAt)}</Text>
        {order.paidAt ? <Text className='order-head__line'>支付时间 {formatDate(order.paidAt)}</Text> : null}
        {order.closedAt ? <Text className='order-head__line'>关闭时间 {formatDate(order.closedAt)}</Text> : null}
        {payable ? <Text className='order-head__line'>请在 {formatDate(order.expiresAt)} 前完成支付</Text> : null}
      </View>
      <OrderSummary order={order} />
      <ShippingCard order={order} busy={confirming} {...(onConfirmReceipt ? { onConfirmReceipt } : {})} />
      <RefundList order={order} />
      {truth.status === 'error' ? <ErrorView error={truth.error} onRetry={refresh} /> : null}
      {actions.error ? <ErrorView error={actions.error} /> : null}
      {payable ? (
        <View className='actions'>
          <Button className='btn btn--primary' loading={actions.busy || undefined} disabled={actions.busy || undefined} onClick={() => void actions.payAgain(order)}>
            去支付
          </Button>
          <Button className='btn btn--ghost' disabled={actions.busy || undefined} onClick={() => void actions.cancel(order)}>
            取消订单
          </Button>
        </View>
      ) : null}
      {again.error ? <ErrorView error={again.error} /> : null}
      {order.status === 'failed' || order.status === 'closed' ? (
        <View className='actions'>
          <Button className='btn btn--primary' disabled={again.busy || undefined} onClick={() => void again.reorder(order)}>
            重新下单
          </Button>
        </View>
      ) : null}
    </View>
  );
}
