import { formatFen } from '@checkout/protocol/contract';
import { Button, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { QuantityStepper } from '../../components/quantity-stepper';
import { EmptyView, ErrorView } from '../../components/status-view';
import { SubsidyForm } from '../../components/subsidy-form';
import { useCheckout } from '../../hooks/use-checkout';
import { routes } from '../../routes';
import { appCart, useCart } from '../../state/app-cart';
import { cartHasAppliance, cartTotalFen } from '../../state/cart-store';
import { emptySubsidyForm, validateSubsidyForm, type SubsidyFormErrors } from '../../state/subsidy-form';

export default function CartPage() {
  const cart = useCart();
  const { state, submit } = useCheckout();
  const [claimSubsidy, setClaimSubsidy] = useState(false);
  const [form, setForm] = useState(emptySubsidyForm);
  const [formErrors, setFormErrors] = useState<SubsidyFormErrors>({});
  const hasAppliance = cartHasAppliance(cart.lines);
  const busy = state.status === 'submitting' || state.status === 'leaving';

  if (cart.lines.length === 0 && state.status !== 'leaving' && !(state.status === 'submitting' && state.step === 'paying')) {
    return (
      <View className='page cart'>
        <EmptyView text='购物车是空的' action='去逛逛' onAction={() => void Taro.reLaunch({ url: routes.catalog })} />
      </View>
    );
  }

  const onSubmit = () => {
    if (!(hasAppliance && claimSubsidy)) return void submit(cart.lines, undefined);
    const checked = validateSubsidyForm(form);
    setFormErrors(checked.ok ? {} : checked.errors);
    if (checked.ok) void submit(cart.lines, checked.buyer);
  };

  return (
    <View className='page cart'>
      {cart.lines.map((line) => (
        <View className='card cart-line' key={line.product.id} data-testid={`cart-line-${line.product.id}`}>
          <View className='cart-line__info'>
            <Text className='cart-line__name'>{line.product.name}</Text>
            {line.product.appliance ? <Text className='badge badge--subsidy'>国补家电</Text> : null}
            <Text className='price'>{formatFen(line.product.priceFen)}</Text>
          </View>
          <View className='cart-line__actions'>
            <QuantityStepper value={line.quantity} label={line.product.name} onChange={(quantity) => appCart.setQuantity(line.product.id, quantity)} />
            <Button className='btn btn--link' onClick={() => appCart.remove(line.product.id)}>
              删除
            </Button>
          </View>
        </View>
      ))}

      {hasAppliance ? (
        <View className='card subsidy-toggle'>
          <View className='subsidy-toggle__row'>
            <Text>申请国家补贴（以旧换新）</Text>
            <Switch aria-label='申请国家补贴' checked={claimSubsidy} onChange={(event) => setClaimSubsidy(event.detail.value)} />
          </View>
          <Text className='form__hint'>补贴金额由服务器按政策核算，微信支付时按减免后的实付金额扣款。</Text>
        </View>
      ) : null}
      {hasAppliance && claimSubsidy ? (
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

      {state.status === 'error' ? <ErrorView error={state.error} /> : null}

      <View className='bottom-bar'>
        <Text className='bottom-bar__info'>
          合计 <Text className='price'>{formatFen(cartTotalFen(cart.lines))}</Text>
          {hasAppliance && claimSubsidy ? <Text className='bottom-bar__note'> 国补另减</Text> : null}
        </Text>
        <Button className='btn btn--primary' disabled={busy || undefined} loading={busy || undefined} onClick={onSubmit}>
          {state.status === 'submitting' ? (state.step === 'ordering' ? '正在下单…' : '正在支付…') : state.status === 'leaving' ? '正在前往收银台…' : '提交订单并支付'}
        </Button>
      </View>
    </View>
  );
}
