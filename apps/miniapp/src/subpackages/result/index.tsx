import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useMemo } from 'react';
import { OrderSummary } from '../../components/order-summary';
import { PageHeader } from '../../components/page-header';
import { ErrorView, LoadingView } from '../../components/status-view';
import { useOrderActions } from '../../hooks/use-order-actions';
import { FAILURE_RECHECK_DELAYS_MS, POLL_DELAYS_MS } from '../../hooks/poll-schedule';
import { useOrderTruth } from '../../hooks/use-order-truth';
import { useReorder } from '../../hooks/use-reorder';
import { parseResultParams, routes } from '../../routes';
import { getAppServices } from '../../services/app-services';
import { outcomeFromErrMsg } from '../../services/payment';

/**
 * After the payment UI closes. What the client was told (errMsg) decides only how hard we ask:
 * the order's state always comes from the BFF.
 */
export default function ResultPage() {
  const router = useRouter();
  const { orderId, errMsg } = useMemo(() => parseResultParams(router.params), [router.params]);
  const outcome = errMsg === null ? null : outcomeFromErrMsg(errMsg);
  const poll = outcome?.kind === 'paid-pending-confirmation';
  // A failure may have closed the order at WeChat Pay (then it is 失败 and only a new order helps):
  // ask again briefly before offering to pay the same order again.
  const recheck = outcome?.kind === 'failed';
  const { truth, refresh } = useOrderTruth(
    () => (orderId ? getAppServices().api.getOrder(orderId) : Promise.reject(new Error('missing orderId'))),
    poll || recheck,
    recheck ? FAILURE_RECHECK_DELAYS_MS : POLL_DELAYS_MS,
  );
  const actions = useOrderActions(refresh);
  const again = useReorder();

  if (!orderId) {
    return (
      <View className='page result'>
        <ErrorView error={new Error('missing orderId')} />
      </View>
    );
  }

  const order = truth.order;
  let headline: { title: string; text: string; tone: 'success' | 'warn' | 'fail' | 'info' };
  if (truth.status === 'error' && order === null) {
    return (
      <View className='page result'>
        <ErrorView error={truth.error} onRetry={refresh} />
      </View>
    );
  }
  if (order === null) {
    return (
      <View className='page result'>
        <LoadingView text={poll ? '正在确认支付结果…' : '加载中…'} />
      </View>
    );
  }
  if (order.status === 'paid') headline = { title: '支付成功', text: '我们已收到微信支付的确认。', tone: 'success' };
  else if (order.status === 'closed') headline = { title: '订单已关闭', text: '该订单已取消或超时，未扣款。可以用同样的商品重新下单。', tone: 'info' };
  else if (order.status === 'failed') headline = { title: '支付失败', text: '微信支付未能完成扣款，该订单已关闭。可以用同样的商品重新下单。', tone: 'fail' };
  else if (order.status === 'refunded') headline = { title: '已退款', text: '款项已原路退回。', tone: 'info' };
  else if (order.cancelRequested) headline = { title: '正在取消', text: '订单将在几分钟内关闭，关闭前不会扣款。', tone: 'info' };
  else if (outcome?.kind === 'failed') headline = { title: '支付未完成', text: describeFailure(outcome.errMsg), tone: 'fail' };
  else if (truth.status === 'loading') headline = { title: '正在确认支付结果…', text: '请稍候，正在向服务器查询。', tone: 'info' };
  else if (outcome?.kind === 'cancelled') headline = { title: '已取消支付', text: '订单未支付，可以重新支付。', tone: 'warn' };
  else if (truth.status === 'still-pending') headline = { title: '支付结果确认中', text: '如已扣款，订单会自动更新，请稍后刷新。', tone: 'warn' };
  else headline = { title: '待支付', text: '订单尚未支付。', tone: 'warn' };

  const payable = order.status === 'pending' && !order.cancelRequested && truth.status !== 'loading';
  // A failed or closed order can never be paid: the way on is a new order for the same items.
  const reorderable = order.status === 'failed' || order.status === 'closed';

  return (
    <View className='page result'>
      <PageHeader title='支付结果' />
      <View className={`result__head result__head--${headline.tone}`} data-testid='result-headline'>
        <Text className='result__title'>{headline.title}</Text>
        <Text className='result__text'>{headline.text}</Text>
      </View>
      <OrderSummary order={order} />
      {truth.status === 'error' ? <ErrorView error={truth.error} onRetry={refresh} /> : null}
      {actions.error ? <ErrorView error={actions.error} /> : null}
      {again.error ? <ErrorView error={again.error} /> : null}
      <View className='actions'>
        {reorderable ? (
          <Button className='btn btn--primary' disabled={again.busy || undefined} onClick={() => void again.reorder(order)}>
            重新下单
          </Button>
        ) : null}
        {payable ? (
          <Button className='btn btn--primary' loading={actions.busy || undefined} disabled={actions.busy || undefined} onClick={() => void actions.payAgain(order)}>
            重新支付
          </Button>
        ) : null}
        {payable ? (
          <Button className='btn btn--ghost' disabled={actions.busy || undefined} onClick={() => void actions.cancel(order)}>
            取消订单
          </Button>
        ) : null}
        {truth.status === 'still-pending' ? (
          <Button className='btn btn--ghost' onClick={refresh}>
            刷新
          </Button>
        ) : null}
        <Button className='btn btn--ghost' onClick={() => void Taro.navigateTo({ url: routes.order(order.id) })}>
          查看订单
        </Button>
        <Button className='btn btn--link' onClick={() => void Taro.reLaunch({ url: routes.catalog })}>
          继续购物
        </Button>
      </View>
    </View>
  );
}

function describeFailure(errMsg: string): string {
  const detail = errMsg.replace(/^requestPayment:fail\s*/, '').trim();
  return detail ? `原因：${detail}` : '支付未完成，可以重新支付。';
}
