import Taro from '@tarojs/taro';
import { readAppConfig, type AppConfig } from '../env';
import { createApiClient, type ApiClient } from './api-client';
import { createLoginCodeSource } from './login-code';
import { createPaymentService, type PaymentService } from './payment';
import { taroStore } from './taro-store';
import { taroTransport } from './taro-transport';

export interface AppServices {
  config: AppConfig;
  api: ApiClient;
  payment: PaymentService;
}

let services: AppServices | null = null;

/**
 * Wires the services to Taro once. Throws ConfigError on a bad TARO_APP_* configuration, which
 * the calling screen shows as its error state.
 */
export function getAppServices(): AppServices {
  if (services) return services;
  const config = readAppConfig();
  const loginCode = createLoginCodeSource({
    platform: config.platform,
    appId: config.appId,
    emulatorUrl: config.emulatorUrl,
    wxLogin: () => Taro.login(),
    transport: taroTransport,
  });
  services = {
    config,
    api: createApiClient({ baseUrl: config.apiBaseUrl, transport: taroTransport, store: taroStore, loginCode }),
    payment: createPaymentService({
      platform: config.platform,
      appId: config.appId,
      cashierUrl: config.cashierUrl,
      requestPayment: (params) => Taro.requestPayment(params),
      redirect: (url) => window.location.assign(url),
    }),
  };
  return services;
}

/** Test hook: forget the wired services so the next call re-reads configuration. */
export function resetAppServices(): void {
  services = null;
}
