import { devMerchant, devTls } from '@checkout/protocol/testing';
import type { WxPayGatewayConfig } from '../src/adapters/wxpay-v2-gateway';

/** The gateway as the dev merchant against an emulator: `/secapi/*` over its HTTPS URL with the dev certificate. */
export function devGatewayConfig(urls: { url: string; secureUrl?: string }, overrides: Partial<WxPayGatewayConfig> = {}): WxPayGatewayConfig {
  return {
    baseUrl: urls.url,
    appId: devMerchant.appId,
    mchId: devMerchant.mchId,
    apiKey: devMerchant.apiKey,
    timeoutMs: 5_000,
    maxAttempts: 3,
    retryBaseDelayMs: 1,
    signType: 'HMAC-SHA256',
    secapi: { baseUrl: urls.secureUrl ?? urls.url, tls: { credentials: { cert: devTls.merchantCertPem, key: devTls.merchantKeyPem }, ca: devTls.caCertPem } },
    refundNotifyUrl: 'https://shop.example/wxpay/refund-notify',
    ...overrides,
  };
}
