import type { AccessTokens } from './state/access-tokens';
import type { BillFaults } from './bill/bill-faults';
import type { MessagePusher } from './notify/message-push';
import type { ShippingLedger } from './state/shipping';
import type { EmulatorClock } from './state/clock';
import type { FaultInjector } from './faults/faults';
import type { MerchantRegistry } from './state/merchant-registry';
import type { Notifier } from './notify/notifier';
import type { OrderLifecycle } from './state/order-lifecycle';
import type { RateLimiter } from './state/rate-limiter';
import type { RefundLifecycle } from './state/refund-lifecycle';
import type { EmulatorStore } from './state/store';

/** Everything a route group needs; built once by createEmulator. */
export interface EmulatorDeps {
  store: EmulatorStore;
  clock: EmulatorClock;
  merchants: MerchantRegistry;
  lifecycle: OrderLifecycle;
  refunds: RefundLifecycle;
  faults: FaultInjector;
  notifier: Notifier;
  loginLimiter: RateLimiter;
  govSyncLimiter: RateLimiter;
  billFaults: BillFaults;
  /** access_tokens of stable_token and cgi-bin/token. */
  tokens: AccessTokens;
  /** 发货信息管理 records per order. */
  shipping: ShippingLedger;
  messagePush: MessagePusher;
  /** Day D's bill is served from this hour (Beijing) of D+1. */
  billReadyHourBeijing: number;
  bodyLimitBytes: number;
  log: (line: Record<string, unknown>) => void;
}
