import { formatFen, type Order } from '@checkout/protocol/contract';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OrderStatusTag } from '../../components/order-status-tag';
import { PageHeader } from '../../components/page-header';
import { EmptyView, ErrorView, LoadingView } from '../../components/status-view';
import { routes } from '../../routes';
import { formatDate } from '../../format-date';
import { getAppServices } from '../../services/app-services';

const PAGE_SIZE = 20;

type ListState = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; orders: Order[]; nextCursor: string | null };

export default function OrdersPage() {
  const [list, setList] = useState<ListState>({ status: 'loading' });
  const [more, setMore] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  const loadFirst = useCallback(async () => {
    setList((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    try {
      const page = await getAppServices().api.listOrders({ limit: PAGE_SIZE });
      if (live.current) setList({ status: 'ready', orders: page.orders, nextCursor: page.nextCursor });
    } catch (error) {
      if (live.current) setList({ status: 'error', error });
    }
  }, []);

  // Reload whenever the page shows again (e.g. back from a detail page after paying).
  useDidShow(() => void loadFirst());

  const loadMore = async () => {
    if (list.status !== 'ready' || list.nextCursor === null || more.busy) return;
    setMore({ busy: true, error: null });
    try {
      const page = await getAppServices().api.listOrders({ limit: PAGE_SIZE, cursor: list.nextCursor });
      if (!live.current) return;
      setList({ status: 'ready', orders: [...list.orders, ...page.orders], nextCursor: page.nextCursor });
      setMore({ busy: false, error: null });
    } catch (error) {
      if (live.current) setMore({ busy: false, error });
    }
  };

  return (
    <View className='page orders'>
      <PageHeader title='我的订单' />
      {list.status === 'loading' ? <LoadingView /> : null}
      {list.status === 'error' ? <ErrorView error={list.error} onRetry={() => void loadFirst()} /> : null}
      {list.status === 'ready' && list.orders.length === 0 ? (
        <EmptyView text='暂无订单' action='去逛逛' onAction={() => void Taro.reLaunch({ url: routes.catalog })} />
      ) : null}
      {list.status === 'ready'
        ? list.orders.map((order) => (
            <View
              className='card order-row'
              key={order.id}
              data-testid={`order-${order.id}`}
              onClick={() => void Taro.navigateTo({ url: routes.order(order.id) })}
            >
              <View className='order-row__head'>
                <Text className='order-row__date'>{formatDate(order.createdAt)}</Text>
                <OrderStatusTag order={order} />
              </View>
              <Text className='order-row__items'>{order.items.map((item) => `${item.name} × ${item.quantity}`).join('，')}</Text>
              <Text className='price'>{formatFen(order.payableFen)}</Text>
              {order.refundedFen > 0 ? <Text className='order-row__refund'>已退款 {formatFen(order.refundedFen)}</Text> : null}
            </View>
          ))
        : null}
      {more.error ? <ErrorView error={more.error} onRetry={() => void loadMore()} /> : null}
      {list.status === 'ready' && list.nextCursor !== null ? (
        <Button className='btn btn--ghost' loading={more.busy || undefined} disabled={more.busy || undefined} onClick={() => void loadMore()}>
          加载更多
        </Button>
      ) : null}
    </View>
  );
}
