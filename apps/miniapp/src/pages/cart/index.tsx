import { formatFen, type Order, type Quote } from '@checkout/protocol/contract';
import { Button, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { ProductImage } from '../../components/product-image';
import { QuantityStepper } from '../../components/quantity-stepper';
import { EmptyView, ErrorView } from '../../components/status-view';
import { SubsidyForm } from '../../components/subsidy-form';
import { useCartQuote, type CartQuote } from '../../hooks/use-cart-quote';
import { useCheckout } from '../../hooks/use-checkout';
import { useOrderActions } from '../../hooks/use-order-actions';
import { usePendingOrder } from '../../hooks/use-pending-order';
import { routes } from '../../routes';
import { describeError } from '../../services/describe-error';
import { appCart, useCart } from '../../state/app-cart';
import { cartHasAppliance } from '../../state/cart-store';
import { emptySubsidyForm, validateSubsidyForm, type SubsidyFormErrors } from '../../state/subsidy-form';

/** The newest answer for this cart, or the previous one while the next is on its way. */
function shownQuote(quote: CartQuote): Quote | null {
  if (quote.status === 'ready') return quote.quote;
  if (quote.status === 'loading') return quote.previous;
  return null;
}

export default function CartPage() {
  const cart = useCart();
  const { state, submit } = useCheckout();
  const [claimSubsidy, setClaimSubsidy] = useState(false);
  const [form, setForm] = useState(emptySubsidyForm);
  const [formErrors, setFormErrors] = useState<SubsidyFormErrors>({});
  const hasAppliance = cartHasAppliance(cart.lines);
  const claiming = hasAppliance && claimSubsidy;
  const quoteState = useCartQuote(cart.lines, claiming);
  const quote = shownQuote(quoteState);
  const empty = cart.lines.length === 0 && state.status !== 'leaving' && !(state.status === 'submitting' && state.step === 'paying');
  const pending = usePendingOrder(empty);
  const busy = state.status === 'submitting' || state.status === 'leaving';

  if (empty) {
    return (
      <View className='page cart'>
        <PageHeader title='购物车' />
        {pending ? <PendingOrderCard order={pending} /> : null}
        <EmptyView text='购物车是空的' action='去逛逛' onAction={() => void Taro.reLaunch({ url: routes.catalog })} />
      </View>
    );
  }

  const onSubmit = () => {
    if (busy) return;
    if (!claiming) return void submit(cart.lines, undefined);
    const checked = validateSubsidyForm(form);
    setFormErrors(checked.ok ? {} : checked.errors);
    if (checked.ok) void submit(cart.lines, checked.buyer);
  };

  return (
    <View className='page cart'>
      <PageHeader title='购物车' />
      {cart.lines.map((line) => {
        const priced = quote?.items.find((item) => item.productId === line.product.id && item.quantity === line.quantity);
        return (
          <View className='card cart-line' key={line.product.id} data-testid={`cart-line-${line.product.id}`}>
            <View className='cart-line__info'>
              <ProductImage product={line.product} className='cart-line__image' />
              <View className='cart-line__title'>
                <Text className='cart-line__name'>{line.product.name}</Text>
                {line.product.appliance ? <Text className='badge badge--subsidy'>国补家电</Text> : null}
              </View>
              <Text className='price cart-line__total'>{priced ? formatFen(priced.lineTotalFen) : '…'}</Text>
            </View>
            <Text className='cart-line__unit'>单价 {formatFen(line.product.priceFen)}</Text>
            <View className='cart-line__actions'>
              <QuantityStepper value={line.quantity} label={line.product.name} onChange={(quantity) => appCart.setQuantity(line.product.id, quantity)} />
              <Button className='btn btn--link' onClick={() => appCart.remove(line.product.id)}>
                删除
              </Button>
            </View>
          </View>
        );
      })}

      {hasAppliance ? (
        <View className='card subsidy-toggle'>
          <View className='subsidy-toggle__row'>
            <Text>申请国家补贴（以旧换新）</Text>
            <Switch aria-label='申请国家补贴' checked={claimSubsidy} onChange={(event) => setClaimSubsidy(event.detail.value)} />
          </View>
          <Text className='form__hint'>补贴金额由服务器按政策核算，微信支付时按减免后的实付金额扣款。</Text>
        </View>
      ) : null}
      {claiming ? (
        <SubsidyForm
          values={form}
          errors={formErrors}
          onChange={(next) => {
            // An edited field's old error no longer applies; the rest wait for the next submit.
            setFormErrors((errors) => Object.fromEntries(Object.entries(errors).filter(([key]) => next[key as keyof typeof next] === form[key as keyof typeof form])));
            setForm(next);
          }}
        />
      ) : null}

      <QuoteCard quote={quote} state={quoteState} />
      {state.status === 'error' ? <ErrorView error={state.error} /> : null}

      <View className='bottom-bar'>
        <View className='bottom-bar__info'>
          <View>
            <Text>实付 </Text>
            <Text className='price' data-testid='payable'>
              {quote ? formatFen(quote.payableFen) : '…'}
            </Text>
          </View>
          {quote && quote.subsidyDiscountFen > 0 ? <Text className='bottom-bar__note'>已减国补 {formatFen(quote.subsidyDiscountFen)}</Text> : null}
        </View>
        {/* No `loading` here: H5's button (a Stencil component) inserts its spinner before the
            label node React is replacing at that moment, and throws NotFoundError (insertBefore).
            The label itself says what is happening. */}
        <Button className='btn btn--primary' disabled={busy || undefined} onClick={onSubmit}>
          {state.status === 'submitting' ? (state.step === 'ordering' ? '正在下单…' : '正在支付…') : state.status === 'leaving' ? '正在前往收银台…' : '提交订单并支付'}
        </Button>
      </View>
    </View>
  );
}

/** The BFF's breakdown of what the order will charge, shown before the buyer pays. */
function QuoteCard({ quote, state }: { quote: Quote | null; state: CartQuote }) {
  if (state.status === 'error') {
    return (
      <View className='card summary' role='alert' data-testid='quote'>
        <Text className='form__error'>{describeError(state.error).message}</Text>
      </View>
    );
  }
  if (quote === null) return null;
  return (
    <View className='card summary' data-testid='quote'>
      <View className='summary__line'>
        <Text>商品金额</Text>
        <Text>{formatFen(quote.totalFen)}</Text>
      </View>
      {quote.subsidyDiscountFen > 0 ? (
        <View className='summary__line summary__line--discount'>
          <Text>国家补贴</Text>
          <Text>-{formatFen(quote.subsidyDiscountFen)}</Text>
        </View>
      ) : null}
      <View className='summary__line summary__line--total'>
        <Text>实付金额</Text>
        <Text className='price'>{formatFen(quote.payableFen)}</Text>
      </View>
    </View>
  );
}

/** After leaving the cashier with the back button, the unpaid order is waiting here. */
function PendingOrderCard({ order }: { order: Order }) {
  const actions = useOrderActions(() => undefined);
  return (
    <View className='card pending-order' data-testid='pending-order'>
      <Text className='pending-order__title'>您有一笔待支付订单</Text>
      <Text className='order-row__items'>{order.items.map((item) => `${item.name} × ${item.quantity}`).join('，')}</Text>
      <Text className='price'>{formatFen(order.payableFen)}</Text>
      {actions.error ? <ErrorView error={actions.error} /> : null}
      <View className='pending-order__actions'>
        <Button className='btn btn--small btn--ghost' onClick={() => void Taro.navigateTo({ url: routes.order(order.id) })}>
          查看订单
        </Button>
        <Button className='btn btn--small btn--primary' disabled={actions.busy || undefined} onClick={() => void actions.payAgain(order)}>
          去支付
        </Button>
      </View>
    </View>
  );
}
