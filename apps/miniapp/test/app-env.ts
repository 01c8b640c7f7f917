import { vi } from 'vitest';
import { resetAppServices } from '../src/services/app-services';
import { appCart } from '../src/state/app-cart';
import { DEV_APP_ID } from './dev-app';

export interface TestAppEnv {
  platform?: 'weapp' | 'h5';
  apiBaseUrl: string;
  cashierUrl?: string;
  emulatorUrl?: string;
}

/** Sets the TARO_APP_* values the build would inline, and starts the app's state afresh. */
export function configureApp({ platform = 'weapp', apiBaseUrl, cashierUrl = '', emulatorUrl = '' }: TestAppEnv): void {
  vi.stubEnv('TARO_ENV', platform);
  vi.stubEnv('TARO_APP_API_BASE_URL', apiBaseUrl);
  vi.stubEnv('TARO_APP_CASHIER_URL', cashierUrl);
  vi.stubEnv('TARO_APP_EMULATOR_URL', emulatorUrl);
  vi.stubEnv('TARO_APP_APP_ID', DEV_APP_ID);
  resetAppServices();
  appCart.clear();
}
