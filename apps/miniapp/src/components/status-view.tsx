import { Button, Text, View } from '@tarojs/components';
import { describeError } from '../services/describe-error';

export function LoadingView({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='status status--loading' aria-busy='true'>
      <Text className='status__text'>{text}</Text>
    </View>
  );
}

export function EmptyView({ text, action, onAction }: { text: string; action?: string; onAction?: () => void }) {
  return (
    <View className='status status--empty'>
      <Text className='status__text'>{text}</Text>
      {action && onAction ? (
        <Button className='btn btn--ghost' onClick={onAction}>
          {action}
        </Button>
      ) : null}
    </View>
  );
}

/** Error and offline states share one view: the offline one says so and both offer a retry. */
export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const view = describeError(error);
  return (
    <View className={`status status--${view.kind}`} role='alert'>
      <Text className='status__title'>{view.kind === 'offline' ? '网络连接不可用' : '出错了'}</Text>
      <Text className='status__text'>{view.message}</Text>
      {onRetry ? (
        <Button className='btn btn--ghost' onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </View>
  );
}
