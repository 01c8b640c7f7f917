import { formatFen, type Product } from '@checkout/protocol/contract';
import { Button, Text, View } from '@tarojs/components';
import { ProductImage } from './product-image';

export function ProductCard({ product, inCart, onAdd }: { product: Product; inCart: number; onAdd: (product: Product) => void }) {
  return (
    <View className='card product' data-testid={`product-${product.id}`}>
      <ProductImage product={product} className='product__image' />
      <View className='product__body'>
        <View className='product__title'>
          <Text className='product__name'>{product.name}</Text>
          {product.appliance ? <Text className='badge badge--subsidy'>国补家电</Text> : null}
        </View>
        {product.description ? <Text className='product__desc'>{product.description}</Text> : null}
        <View className='product__footer'>
          <Text className='price'>{formatFen(product.priceFen)}</Text>
          <Button className='btn btn--small btn--primary' onClick={() => onAdd(product)}>
            {inCart > 0 ? `加入购物车 (${inCart})` : '加入购物车'}
          </Button>
        </View>
      </View>
    </View>
  );
}
