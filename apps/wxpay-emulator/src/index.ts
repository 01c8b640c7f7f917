// @checkout/wxpay-emulator: a stateful local WeChat Pay (v2 pay and refunds over mutual TLS, jscode2session, access tokens, mini-program shipping, v3 gov sync, cashier).
export { createEmulator, type Emulator, type ListenOptions, type RunningEmulator } from './create-emulator';
export type {
  AccessTokensView,
  CashierAction,
  CashierParams,
  CashierResult,
  EmulatorControl,
  EmulatorEndpoint,
  EmulatorMerchant,
  EmulatorOptions,
  EmulatorOrder,
  EmulatorRefund,
  FaultSpec,
  GovSyncRecord,
  MessagePushView,
  NotificationDelivery,
  NotifyOptions,
  PortalRefundInput,
  ReceivedReport,
  RefundRequestSource,
  SeedOrderInput,
  ShippingView,
} from './emulator-types';
export { EMULATOR_ENDPOINTS } from './emulator-types';
export { NOTIFY_RETRY_SCHEDULE_SECONDS } from './notify/notifier';
export { CLOSE_FLOOR_MS, OrderError, PREPAY_TTL_MS, type OrderErrorCode } from './state/order-lifecycle';
export { ControlError } from './control';
export { LOGIN_CODE_TTL_MS } from './routes/jscode2session-routes';
export { V2_RETURN_MESSAGES, type V2ReturnFailCode } from './wire/v2-wire';
export { loadMerchantsConfig } from './state/merchants-config';
export { MAX_REFUNDS_PER_ORDER, REFUND_MIN_INTERVAL_MS, REFUND_WINDOW_MS, RefundError, type RefundErrorCode } from './state/refund-lifecycle';
export { ACCESS_TOKEN_LIFETIME_MS, FORCE_REFRESH_MIN_INTERVAL_MS, FORCE_REFRESH_PER_DAY, TOKEN_OVERLAP_MS } from './state/access-tokens';
export { DELIVERY_COMPANIES, MAX_SHIPPING_ITEMS, SHIPPING_ERRORS } from './rules/shipping-rules';
export { ShippingError } from './state/shipping';
export { messagePushSignature } from './notify/message-push';
