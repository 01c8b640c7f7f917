// Public API of @checkout/bff for test suites and tooling. main.ts is the CLI entry.
export { createApp } from './http/create-app';
export type { AppDeps } from './http/create-app';
export { createCheckoutDeps } from './composition/create-checkout-deps';
export type { WiringOverrides, WiredDeps } from './composition/create-checkout-deps';
export { createLogger, redactedPaths } from './create-logger';
export { assertSafeConfig, ConfigError, loadConfig } from './env';
export type { BffConfig, BffEnv } from './env';
export { startBff } from './composition/start-bff';
export type { RunningBff, StartBffOptions } from './composition/start-bff';
export { createSweeper } from './sweeper';
export type { Sweeper } from './sweeper';
export { createDatabase } from './db/create-database';
export type { DatabaseConfig, DatabaseHandle } from './db/create-database';
export { migrateToLatest } from './db/migrate';
export { demoCatalog, seedCatalog } from './db/seed-catalog';
export type { Database } from './db/schema';
export type { Clock } from './domain/ports/clock';
export type { SweepReport } from './domain/settlement/sweep-orders';
export type { WxPayCallEvent, WxPayCallObserver } from './adapters/wxpay-call-event';
export type { OrderEvent, OrderEventHandler } from './domain/orders/order-events';
export type { TransactionScope } from './domain/ports/unit-of-work';
export type { OrderRecord } from './domain/orders/order-record';
// Durable outbox: worker, enqueue, claim; its table is created by migrateToLatest.
export * from './outbox';
// Metrics registry, payitil/report queue, gov subsidy sync pieces used by tooling and suites.
export { createBffMetrics, renderMetrics } from './metrics';
export type { BffMetrics } from './metrics';
export type { LatencyReporter, LatencyReporterStats, ReportLevel } from './reporting/latency-reporter';
export { GOV_SUBSIDY_SYNC_JOB, govSubsidySyncDedupeKey } from './domain/subsidy/gov-subsidy-sync-job';
export { SHIPPING_UPLOAD_JOB, shippingUploadDedupeKey } from './domain/shipping/shipping-store';
export { computeOrderSubsidy, defaultSubsidyRule, unitSubsidyFen } from './domain/checkout/subsidy-rule';
export type { SubsidyRule } from './domain/checkout/subsidy-rule';
