import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ProductCard } from '../../components/product-card';
import { EmptyView, ErrorView, LoadingView } from '../../components/status-view';
import { useAsync } from '../../hooks/use-async';
import { routes } from '../../routes';
import { getAppServices } from '../../services/app-services';
import { appCart, useCart } from '../../state/app-cart';
import { cartCount } from '../../state/cart-store';

export default function CatalogPage() {
  const products = useAsync(() => getAppServices().api.listProducts(), []);
  const cart = useCart();
  const count = cartCount(cart.lines);

  return (
    <View className='page catalog'>
      <View className='toolbar'>
        <Text className='toolbar__title'>精选家电</Text>
        <Button className='btn btn--link' onClick={() => void Taro.navigateTo({ url: routes.orders })}>
          我的订单
        </Button>
      </View>
      {products.status === 'loading' ? <LoadingView /> : null}
      {products.status === 'error' ? <ErrorView error={products.error} onRetry={products.reload} /> : null}
      {products.status === 'ready' && products.value.length === 0 ? <EmptyView text='暂无商品' /> : null}
      {products.status === 'ready'
        ? products.value.map((product) => (
            <ProductCard
              key={product.id}
              product={product}
              inCart={cart.lines.find((line) => line.product.id === product.id)?.quantity ?? 0}
              onAdd={(added) => {
                appCart.add(added);
                void Taro.showToast({ title: '已加入购物车', icon: 'success', duration: 1000 });
              }}
            />
          ))
        : null}
      <View className='bottom-bar'>
        <Text className='bottom-bar__info'>{count > 0 ? `购物车共 ${count} 件` : '购物车是空的'}</Text>
        <Button
          className='btn btn--primary'
          disabled={count === 0 || undefined}
          onClick={() => {
            // H5 still fires click on a disabled button.
            if (count > 0) void Taro.navigateTo({ url: routes.cart });
          }}
        >
          去结算
        </Button>
      </View>
    </View>
  );
}
