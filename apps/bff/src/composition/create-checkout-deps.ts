import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AesGcmPiiCipher } from '../adapters/aes-gcm-pii-cipher';
import { createFingerprint } from '../adapters/hmac-fingerprint';
import { HmacSessionTokens } from '../adapters/hmac-session-tokens';
import { InMemoryExchangedLoginCodes } from '../adapters/in-memory-exchanged-login-codes';
import { Jscode2sessionClient } from '../adapters/jscode2session-client';
import type { OrderRepositoryHooks } from '../adapters/kysely-order-repository';
import { KyselyRefundRepository, type RefundRepositoryHooks } from '../adapters/kysely-refund-repository';
import { transactionScope } from '../adapters/kysely-unit-of-work';
import { KyselyOrderRepository } from '../adapters/kysely-order-repository';
import { KyselyProductRepository } from '../adapters/kysely-product-repository';
import { withoutTestProduct } from '../domain/checkout/test-product';
import { KyselyUserRepository } from '../adapters/kysely-user-repository';
import { randomIds } from '../adapters/random-ids';
import { SlidingLoginBudget } from '../adapters/sliding-login-budget';
import { systemClock } from '../adapters/system-clock';
import type { WxPayCallObserver } from '../adapters/wxpay-call-event';
import { WxPayV2Gateway } from '../adapters/wxpay-v2-gateway';
import type { Database } from '../db/schema';
import type { CheckoutDeps } from '../domain/checkout-deps';
import type { Clock } from '../domain/ports/clock';
import type { IdGenerator } from '../domain/ports/id-generator';
import type { PiiCipher } from '../domain/ports/pii-cipher';
import { KyselyPaymentAnomalyRepository } from '../adapters/kysely-payment-anomaly-repository';
import type { BffConfig } from '../env';

export interface WiringOverrides {
  /** Share the emulator's movable clock in tests. */
  clock?: Clock;
  ids?: IdGenerator;
  fetch?: typeof fetch;
  /** Sees every WeChat Pay v2 attempt (metrics, payitil/report). */
  wxpayObserver?: WxPayCallObserver;
  /** PII cipher at rest (startBff shares one instance with the gov sync enqueuer). */
  pii?: PiiCipher;
  /** Backoff sleep between retries. */
  sleep?: (ms: number) => Promise<void>;
  /** Reactions to order changes: inside the paid transaction (outbox enqueue), after commit (wake, metrics). */
  orderHooks?: OrderRepositoryHooks;
  /** Reactions to refund changes: inside the transaction (gov sync REFUND), after commit (metrics). */
  refundHooks?: RefundRepositoryHooks;
}

export interface WiredDeps {
  checkout: CheckoutDeps;
  gateway: WxPayV2Gateway;
}

/** Builds the use-case dependencies from config: adapters behind the domain's ports. */
export function createCheckoutDeps(
  config: BffConfig,
  db: Kysely<Database>,
  logger: Logger,
  notifyUrls: { pay: string; refund: string },
  overrides: WiringOverrides = {},
): WiredDeps {
  const pii = overrides.pii ?? new AesGcmPiiCipher(config.piiKey);
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? randomIds;
  const gateway = new WxPayV2Gateway(
    {
      baseUrl: config.wxpay.mchBaseUrl,
      appId: config.wxpay.appId,
      mchId: config.wxpay.mchId,
      apiKey: config.wxpay.apiKey,
      timeoutMs: config.wxpay.timeoutMs,
      maxAttempts: config.wxpay.maxAttempts,
      retryBaseDelayMs: config.wxpay.retryBaseDelayMs,
      signType: config.wxpay.signType,
      secapi: { baseUrl: config.secapi.baseUrl, tls: { credentials: config.secapi.credentials, ca: config.secapi.caPem } },
      refundNotifyUrl: notifyUrls.refund,
    },
    {
      clock,
      ids,
      ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
      ...(overrides.wxpayObserver ? { observer: overrides.wxpayObserver } : {}),
      ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
    },
  );
  const checkout: CheckoutDeps = {
    orders: new KyselyOrderRepository(db, clock, ids, overrides.orderHooks),
    paymentAnomalies: new KyselyPaymentAnomalyRepository(db),
    products: config.catalogTestProduct ? new KyselyProductRepository(db) : withoutTestProduct(new KyselyProductRepository(db)),
    users: new KyselyUserRepository(db),
    gateway,
    refunds: new KyselyRefundRepository(db, transactionScope, overrides.refundHooks),
    refundGateway: gateway,
    login: new Jscode2sessionClient(
      { baseUrl: config.wxpay.apiBaseUrl, appId: config.wxpay.appId, appSecret: config.wxpay.appSecret, timeoutMs: config.wxpay.timeoutMs },
      overrides.fetch,
    ),
    loginBudget: new SlidingLoginBudget(config.login.budget),
    // Entries only come from budgeted calls: a few windows' worth bounds the map.
    loginCodes: new InMemoryExchangedLoginCodes({ ttlMs: config.login.codeCacheTtlMs, maxEntries: Math.max(1000, config.login.budget.max * 10) }),
    sessions: new HmacSessionTokens(config.session.secret, config.session.ttlSeconds),
    pii,
    // Own key per purpose: derived, so the session signing key is never used directly here.
    fingerprint: createFingerprint(`idempotency-fingerprint:${config.session.secret}`),
    clock,
    ids,
    logger,
    policy: {
      appId: config.wxpay.appId,
      mchId: config.wxpay.mchId,
      signType: config.wxpay.signType,
      notifyUrl: notifyUrls.pay,
      spbillCreateIp: config.wxpay.spbillCreateIp,
      ...config.orders,
    },
  };
  return { checkout, gateway };
}
