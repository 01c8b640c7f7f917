import { Button, Text, View } from '@tarojs/components';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { reportError } from '../services/report-error';

interface State {
  failed: boolean;
}

/** Last line of defence for render errors: a readable screen instead of a blank one. */
export class ErrorBoundary extends Component<{ children: ReactNode; onReset: () => void }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    reportError('render', error, info.componentStack ?? undefined);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <View className='status status--error' role='alert'>
        <Text className='status__title'>页面出错了</Text>
        <Text className='status__text'>请返回首页重试</Text>
        <Button
          className='btn btn--ghost'
          onClick={() => {
            this.setState({ failed: false });
            this.props.onReset();
          }}
        >
          返回首页
        </Button>
      </View>
    );
  }
}
