import { createServer } from 'node:http';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { DestinationStream, Logger } from 'pino';
import { REPORT_PATH } from '@checkout/protocol/wxpay';
import { AesGcmPiiCipher } from '../adapters/aes-gcm-pii-cipher';
import { systemClock } from '../adapters/system-clock';
import { randomIds } from '../adapters/random-ids';
import { refundAnomalies } from '../domain/refunds/refund-anomalies';
import { KyselyUnitOfWork } from '../adapters/kysely-unit-of-work';
import type { WxPayCallObserver } from '../adapters/wxpay-call-event';
import { createApp } from '../http/create-app';
import { loadProductImageFiles } from '../http/product-image-files';
import { productImagesDirectory } from '../product-images-directory';
import type { WiringOverrides } from './create-checkout-deps';
import { createCheckoutDeps } from './create-checkout-deps';
import { createLogger } from '../create-logger';
import type { DatabaseHandle } from '../db/create-database';
import { createDatabase } from '../db/create-database';
import { migrateToLatest } from '../db/migrate';
import { seedCatalog } from '../db/seed-catalog';
import type { CheckoutDeps } from '../domain/checkout-deps';
import type { BffConfig } from '../env';
import { assertSafeConfig } from '../env';
import type { AppState } from '../http/app-state';
import type { BffMetrics } from '../metrics/bff-metrics';
import { createBffMetrics } from '../metrics/bff-metrics';
import type { OutboxWorker } from '../outbox/outbox-worker';
import { createOutboxWorker } from '../outbox/outbox-worker';
import { asOutboxDb } from '../outbox/outbox-table';
import { createGatewayCallObserver } from '../reporting/gateway-call-observer';
import type { LatencyReporter } from '../reporting/latency-reporter';
import { createLatencyReporter } from '../reporting/latency-reporter';
import { assertGovSubsidyConfig } from '../domain/subsidy/assert-gov-subsidy-config';
import { deliverGovSubsidySync } from '../adapters/deliver-gov-subsidy-sync';
import { createGovSubsidySyncClient } from '../adapters/gov-subsidy-sync-client';
import { createGovSubsidySyncEnqueuer } from '../domain/subsidy/gov-subsidy-sync-enqueuer';
import { GOV_SUBSIDY_SYNC_JOB } from '../domain/subsidy/gov-subsidy-sync-job';
import { recordGoodsReturn } from '../domain/subsidy/record-goods-return';
import type { Sweeper } from '../sweeper';
import { createSweeper } from '../sweeper';
import { createReconciler, type Reconciler } from '../reconciler';
import { reconcileDay, type ReconcileDeps } from '../domain/reconciliation/reconcile-day';
import { KyselyReconciliationStore } from '../adapters/kysely-reconciliation-store';
import { WxPayBillSource } from '../adapters/wxpay-bill-source';
import { KyselyAccessTokenStore } from '../adapters/kysely-access-token-store';
import { StableTokenClient } from '../adapters/stable-token-client';
import { WxaClient } from '../adapters/wxa-client';
import { WechatShippingClient } from '../adapters/wechat-shipping-client';
import { deliverShippingUploadJob } from '../adapters/deliver-shipping-upload-job';
import { KyselyShippingReader } from '../adapters/kysely-shipping-reader';
import { createAccessTokenProvider } from '../domain/access-token/access-token-provider';
import { SHIPPING_UPLOAD_JOB } from '../domain/shipping/shipping-store';
import { onOrderPaidForShipping } from '../domain/shipping/on-order-paid-for-shipping';
import { recordShipment } from '../domain/shipping/record-shipment';
import { recordReceipt } from '../domain/shipping/record-receipt';
import { viewOrderShipping } from '../domain/shipping/view-order-shipping';

export interface StartBffOptions extends WiringOverrides {
  /** Where pino writes (default stdout). Tests pass a stream to capture and inspect logs. */
  logDestination?: DestinationStream;
  /** Use this logger instead of creating one. */
  logger?: Logger;
  /** Skip seeding the demo catalog (default: seed missing products). */
  seed?: boolean;
  /** Fetch for payitil/report and the v3 gov sync (default: `fetch` of the overrides, else global). */
  sideFetch?: typeof fetch;
}

export interface RunningBff {
  /** http://host:port actually bound (port 0 resolved). */
  url: string;
  /** notify_url given to WeChat Pay. */
  notifyUrl: string;
  server: Server;
  app: Koa<AppState>;
  database: DatabaseHandle;
  deps: CheckoutDeps;
  sweeper: Sweeper;
  /** Daily reconciliation (tests: `reconciler.runOnce()`); started when config.reconciliation.enabled. */
  reconciler: Reconciler;
  /** Delivers gov subsidy sync jobs (tests: `outbox.runOnce()`); started when config.outbox.enabled. */
  outbox: OutboxWorker;
  /** payitil/report queue (tests: `reporter.drain()`, `reporter.stats()`). */
  reporter: LatencyReporter;
  metrics: BffMetrics;
  logger: Logger;
  /**
   * Graceful stop: no new connections, drain requests (bounded by shutdownTimeoutMs), stop the
   * sweeper, stop the outbox worker (in-flight deliveries recorded), stop the reporter, close the DB.
   */
  close(): Promise<void>;
}

/**
 * A complete BFF in this process: database (migrated, seeded), WeChat Pay adapters, HTTP server
 * on config.host:config.port (0 = random), sweeper when enabled. Used by main.ts and test suites.
 */
export async function startBff(config: BffConfig, options: StartBffOptions = {}): Promise<RunningBff> {
  assertSafeConfig(config);
  const wechatPayKey = { publicKey: config.wxpayV3.publicKeyPem, publicKeyId: config.wxpayV3.publicKeyId };
  // A bad licence number or WeChat Pay key stops the boot, not the first paid subsidy order.
  if (config.govSubsidy.enabled) assertGovSubsidyConfig(config.govSubsidy, wechatPayKey);
  const logger = options.logger ?? createLogger({ level: config.logLevel, ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const metrics = createBffMetrics();
  const database = createDatabase(config.database, {
    onPoolError: (error) => logger.warn({ code: error.code ?? 'UNKNOWN' }, 'database connection lost; reconnecting'),
    onCommitGroup: (transactions) => metrics.sqliteCommitGroupTransactions.observe(transactions),
  });
  // Node's defaults (300 s per request, checked every 30 s) let a stalled body pin a connection.
  const server = createServer({
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: Math.min(60_000, config.requestTimeoutMs),
    // Node closes a keep-alive connection after 5 s idle by default. A client (a load balancer,
    // WeChat Pay) can send its next request at that same moment, or while the event loop is busy
    // past the deadline; the server then resets a connection carrying a request. Keep idle
    // connections longer than common load-balancer idle timeouts (60 s), as proxies expect.
    keepAliveTimeout: 65_000,
    connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.requestTimeoutMs / 4))),
  });
  try {
    await migrateToLatest(database.db);
    if (options.seed !== false) await seedCatalog(database.db);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    server.close();
    await database.close();
    throw error;
  }

  const url = boundUrl(server, config.host);
  const notifyUrl = config.notifyUrl ?? `${url}/wxpay/notify`;
  const refundNotifyUrl = config.refundNotifyUrl ?? `${url}/wxpay/refund-notify`;
  const clock = options.clock ?? systemClock;
  const sideFetch = options.sideFetch ?? options.fetch;

  // payitil/report: off the request path, bounded queue, 1 s timeout (see reporting/).
  const reporter = createLatencyReporter(
    {
      level: config.wxpayReport.level,
      // Same base as the gateway's calls (a path prefix is kept).
      reportUrl: `${config.wxpay.mchBaseUrl.replace(/\/+$/, '')}${REPORT_PATH}`,
      merchant: { appId: config.wxpay.appId, mchId: config.wxpay.mchId, apiKey: config.wxpay.apiKey, signType: config.wxpay.signType },
      userIp: config.wxpayReport.userIp,
      queueCapacity: config.wxpayReport.queueCapacity,
      concurrency: config.wxpayReport.concurrency,
      timeoutMs: config.wxpayReport.timeoutMs,
    },
    { logger, metrics, ...(sideFetch ? { fetch: sideFetch } : {}) },
  );
  const reportAndCount = createGatewayCallObserver({ reporter, metrics });
  const extraObserver = options.wxpayObserver;
  const wxpayObserver: WxPayCallObserver = extraObserver
    ? (event) => {
        reportAndCount(event);
        extraObserver(event);
      }
    : reportAndCount;

  // Gov subsidy sync: enqueued in the paid transaction, delivered by the outbox worker.
  const pii = new AesGcmPiiCipher(config.piiKey);
  const enqueuer = createGovSubsidySyncEnqueuer({ merchant: config.govSubsidy, pii, wechatPay: wechatPayKey, clock, logger });
  const syncClient = createGovSubsidySyncClient(
    {
      baseUrl: config.wxpay.mchBaseUrl,
      mchId: config.wxpay.mchId,
      merchantSerialNo: config.wxpayV3.merchantSerialNo,
      merchantPrivateKey: config.wxpayV3.merchantPrivateKeyPem,
      platformPublicKeys: new Map([[wechatPayKey.publicKeyId, wechatPayKey.publicKey]]),
      timeoutMs: config.wxpayV3.timeoutMs,
    },
    { ...(sideFetch ? { fetch: sideFetch } : {}), nowSeconds: () => Math.floor(clock.now().getTime() / 1000) },
  );
  // The mini-program access_token (stable_token), shared by every instance through the database.
  const instanceId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const accessTokens = createAccessTokenProvider({
    appId: config.wxpay.appId,
    store: new KyselyAccessTokenStore(database.db, pii),
    issuer: new StableTokenClient({ baseUrl: config.wxpay.apiBaseUrl, appId: config.wxpay.appId, appSecret: config.wxpay.appSecret, timeoutMs: config.wxpay.timeoutMs }, options.fetch),
    clock,
    holder: instanceId,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    logger,
  });
  const shippingApi = new WechatShippingClient(new WxaClient({ baseUrl: config.wxpay.apiBaseUrl, timeoutMs: config.wxpay.timeoutMs }, accessTokens, options.fetch));
  const outbox = createOutboxWorker(
    {
      dialect: database.dialect,
      maxAttempts: config.outbox.maxAttempts,
      pollIntervalMs: config.outbox.pollIntervalMs,
      ratePerSecond: config.outbox.ratePerSecond,
      burst: config.outbox.burst,
    },
    {
      db: asOutboxDb(database.db),
      handlers: {
        [GOV_SUBSIDY_SYNC_JOB]: deliverGovSubsidySync(syncClient),
        [SHIPPING_UPLOAD_JOB]: deliverShippingUploadJob(shippingApi, { clock, logger, graceMs: config.shipping.paymentGraceSeconds * 1000 }),
      },
      logger,
      metrics,
      clock,
    },
  );

  const ids = options.ids ?? randomIds;
  const refundAnomaly = refundAnomalies({ ids, clock, logger, policy: config.orders.refunds });
  const { checkout, gateway } = createCheckoutDeps(config, database.db, logger, { pay: notifyUrl, refund: refundNotifyUrl }, {
    ...options,
    wxpayObserver,
    pii,
    orderHooks: {
      onEvent: async (event, scope) => {
        if (event.type === 'paid' && config.govSubsidy.enabled) await enqueuer.onPaid(scope, { orderId: event.order.id, paidAt: event.order.paidAt ?? clock.now() });
        // Virtual and pick-up goods are reported to WeChat's shipping management in the paid transaction.
        if (event.type === 'paid' && config.shipping.enabled) await onOrderPaidForShipping(scope, { ids, clock }, event.order);
        await refundAnomaly(event, scope);
        await options.orderHooks?.onEvent?.(event, scope);
      },
      // Send what the payment enqueued (gov subsidy sync, shipping) now rather than at the next poll.
      afterPaid: (_order, outboxJobsEnqueued) => {
        if (outboxJobsEnqueued > 0) outbox.wake();
      },
      afterAnomaly: (kind) => metrics.paymentAnomalies.inc({ kind }),
      afterTransition: (transition) => metrics.orderTransitions.inc({ transition }),
    },
    refundHooks: {
      onEvent: async (event, scope) => {
        if (event.type === 'refund_succeeded' && config.govSubsidy.enabled) {
          await enqueuer.onRefunded(scope, { orderId: event.order.id, refundId: event.refund.refundId ?? event.refund.outRefundNo, refundedAt: event.refund.succeededAt ?? clock.now() });
        }
        await options.orderHooks?.onEvent?.(event, scope);
      },
      afterRefundTransition: (transition, source) => metrics.refundTransitions.inc({ transition, source }),
      afterOrderTransition: (transition) => metrics.orderTransitions.inc({ transition }),
    },
  });
  // Daily reconciliation against WeChat Pay's trade bill (leased per day: one run across instances).
  const reconcileDeps: ReconcileDeps = {
    ...checkout,
    store: new KyselyReconciliationStore(database.db),
    bills: new WxPayBillSource(
      { baseUrl: config.wxpay.mchBaseUrl, appId: config.wxpay.appId, mchId: config.wxpay.mchId, apiKey: config.wxpay.apiKey, signType: config.wxpay.signType, timeoutMs: config.wxpay.timeoutMs },
      checkout.ids,
    ),
    workerId: `${hostname()}:${process.pid}`,
    leaseMs: 10 * 60_000,
    retryMs: config.reconciliation.retryMs,
    observe: {
      discrepancy: (kind) => metrics.reconciliationDiscrepancies.inc({ kind }),
      succeeded: (_billDate, at) => metrics.reconciliationLastSuccess.set(Math.floor(at.getTime() / 1000)),
    },
  };
  const reconciler = createReconciler(reconcileDeps, config.reconciliation);

  const unitOfWork = new KyselyUnitOfWork(database.db);
  const shippingReader = new KyselyShippingReader(database.db);
  const app = createApp({
    checkout,
    ...(config.shipping.enabled
      ? {
          shipping: {
            reader: shippingReader,
            admin: {
              recordShipment: (input) => recordShipment({ orders: checkout.orders, unitOfWork, ids, clock, fingerprint: checkout.fingerprint }, input),
              viewShipping: (outTradeNo) => viewOrderShipping({ orders: checkout.orders, reader: shippingReader, api: shippingApi, unitOfWork, clock }, outTradeNo),
              onEnqueued: () => outbox.wake(),
            },
            messagePush: {
              token: config.shipping.messagePushToken,
              recordReceipt: (event) => recordReceipt({ orders: { findPaymentTarget: (outTradeNo) => checkout.orders.findPaymentTarget(outTradeNo) }, unitOfWork, clock }, event),
            },
          },
        }
      : {}),
    verifier: gateway,
    logger,
    ready: () => database.ping(),
    metrics,
    metricsToken: config.metricsToken,
    productImages: loadProductImageFiles(productImagesDirectory()),
    admin: {
      token: config.adminToken,
      syncEnabled: config.govSubsidy.enabled,
      recordGoodsReturn: (input) => recordGoodsReturn({ unitOfWork: new KyselyUnitOfWork(database.db), enqueuer, clock }, input),
      onEnqueued: () => outbox.wake(),
      reconciliation: { store: reconcileDeps.store, clock, reconcile: (billDate, force) => reconcileDay(reconcileDeps, billDate, { force }) },
    },
    http: {
      corsOrigins: config.cors.origins,
      rateLimit: config.rateLimit,
      loginRateLimit: config.login.rateLimit,
      jsonLimitBytes: config.bodyLimits.jsonBytes,
      notifyLimitBytes: config.bodyLimits.notifyBytes,
      trustProxy: config.trustProxy,
    },
  });
  server.on('request', app.callback());

  const sweeper = createSweeper(checkout, { ...config.sweeper });
  if (config.sweeper.enabled) sweeper.start();
  if (config.outbox.enabled) outbox.start();
  if (config.reconciliation.enabled) reconciler.start();
  // Pending jobs at boot (e.g. after a restart) get counted right away.
  void outbox.depth().catch(() => undefined);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await drained;
      clearTimeout(deadline);
      await sweeper.stop();
      await reconciler.stop();
      await outbox.stop(); // waits for in-flight deliveries to be recorded
      // Reports still queued get one report timeout to go out; then the rest is dropped (counted).
      let drainTimer: NodeJS.Timeout | undefined;
      await Promise.race([reporter.drain(), new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, config.wxpayReport.timeoutMs)))]);
      clearTimeout(drainTimer);
      await reporter.stop();
      await database.close();
    })();
    return closing;
  };

  return { url, notifyUrl, server, app, database, deps: checkout, sweeper, reconciler, outbox, reporter, metrics, logger, close };
}

function boundUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  // A wildcard bind is reachable on loopback; IPv6 literals need brackets.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
