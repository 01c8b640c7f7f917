import type { EmulatorClock } from './clock';
import type { FaultInjector } from './faults';
import type { MerchantRegistry } from './merchant-registry';
import type { Notifier } from './notifier';
import type { OrderLifecycle } from './order-lifecycle';
import type { RateLimiter } from './rate-limiter';
import type { EmulatorStore } from './store';

/** Everything a route group needs; built once by createEmulator. */
export interface EmulatorDeps {
  store: EmulatorStore;
  clock: EmulatorClock;
  merchants: MerchantRegistry;
  lifecycle: OrderLifecycle;
  faults: FaultInjector;
  notifier: Notifier;
  loginLimiter: RateLimiter;
  govSyncLimiter: RateLimiter;
  bodyLimitBytes: number;
  log: (line: Record<string, unknown>) => void;
}
