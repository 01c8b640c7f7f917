import Taro, { useError, useUnhandledRejection } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { ErrorBoundary } from './components/error-boundary';
import { routes } from './routes';
import { describeError } from './services/describe-error';
import { reportError } from './services/report-error';
import './app.css';

/** Global handler: log once (no PII) and tell the buyer something readable. */
function handleUncaught(source: string, error: unknown) {
  reportError(source, error);
  void Taro.showToast({ title: describeError(error).message, icon: 'none', duration: 2500 }).catch(() => undefined);
}

function App({ children }: PropsWithChildren) {
  useError((error) => handleUncaught('app', error));
  useUnhandledRejection((event) => handleUncaught('promise', event.reason));
  return <ErrorBoundary onReset={() => void Taro.reLaunch({ url: routes.catalog })}>{children}</ErrorBoundary>;
}

// Taro requires the app component as the default export.
export default App;
