import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { routes } from '../routes';
import './page-header.h5.css';

/**
 * H5 has no native navigation bar: a title and a back button, like WeChat's. A page opened
 * directly (a reload, a link, the cashier's redirect) has nothing behind it: back goes home.
 */
export function PageHeader({ title }: { title: string }) {
  const back = () => {
    if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
    else void Taro.reLaunch({ url: routes.catalog });
  };
  return (
    <View className='page-header'>
      <View className='page-header__back' role='button' aria-label='返回' onClick={back}>
        <Text>‹</Text>
      </View>
      <Text className='page-header__title'>
        {title}
      </Text>
    </View>
  );
}
