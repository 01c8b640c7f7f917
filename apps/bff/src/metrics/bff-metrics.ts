import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { orderTransitions } from '../domain/orders/order-lifecycle';

/** Outcome label of one WeChat Pay call: transport/business status, bounded cardinality. */
export type WxPayCallOutcome = 'SUCCESS' | 'RETURN_FAIL' | 'RESULT_FAIL' | 'INVALID_RESPONSE' | 'CONNECTION_ERROR';

/** Why a pay-result notification was rejected (or `accepted`), bounded for label cardinality. */
export type NotificationResult = 'accepted' | 'rejected';

/**
 * Every metric the BFF exports, on its own registry (never prom-client's global one, so several
 * apps in one test process do not collide).
 */
export interface BffMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  wxpayCalls: Counter<'interface' | 'outcome'>;
  wxpayCallDuration: Histogram<'interface' | 'outcome'>;
  /** payitil/report: sent (accepted), failed (error/timeout/non-SUCCESS), dropped (queue full or stopped). */
  reports: Counter<'result'>;
  /** Outbox jobs by status, refreshed by the worker on every poll. */
  outboxJobs: Gauge<'status'>;
  /** One per delivery attempt: result delivered | retry | dead. */
  outboxAttempts: Counter<'kind' | 'result'>;
  outboxDeadLetters: Counter<'kind'>;
  notifications: Counter<'result' | 'reason'>;
  /** Money WeChat Pay took that the shop did not expect: double_payment | paid_after_close (once each). */
  paymentAnomalies: Counter<'kind'>;
  /** Order status changes applied, one label per entry of the order lifecycle's transition table. */
  orderTransitions: Counter<'transition'>;
  /** Refund status changes by transition and by who asked (operator, anomaly = automatic, merchant_portal). */
  refundTransitions: Counter<'transition' | 'source'>;
  /** Reconciliation discrepancies found, by kind (each counted when first recorded). */
  reconciliationDiscrepancies: Counter<'kind'>;
  /** Unix time of the last successful reconciliation run. */
  reconciliationLastSuccess: Gauge;
  /** Refund notifications by result. */
  refundNotifications: Counter<'result'>;
  /** Signed notifications with an optional field of an undocumented shape (accepted, kept raw). */
  notificationUnexpectedShapes: Counter<'field'>;
  /** SQLite: transactions per synced COMMIT (group commit); count = syncs, sum = transactions. */
  sqliteCommitGroupTransactions: Histogram;
}

export interface BffMetricsOptions {
  /** Also export process/Node.js metrics (CPU, memory, event-loop lag). Default true. */
  collectDefault?: boolean;
  /** Name prefix; default `bff_`. */
  prefix?: string;
}

export function createBffMetrics(options: BffMetricsOptions = {}): BffMetrics {
  const registry = new Registry();
  const prefix = options.prefix ?? 'bff_';
  if (options.collectDefault ?? true) collectDefaultMetrics({ register: registry, prefix });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'HTTP request latency by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    wxpayCalls: new Counter({
      name: `${prefix}wxpay_calls_total`,
      help: 'WeChat Pay calls by interface and outcome',
      labelNames: ['interface', 'outcome'],
      registers,
    }),
    wxpayCallDuration: new Histogram({
      name: `${prefix}wxpay_call_duration_seconds`,
      help: 'WeChat Pay call latency by interface and outcome',
      labelNames: ['interface', 'outcome'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    }),
    reports: new Counter({
      name: `${prefix}wxpay_reports_total`,
      help: 'payitil/report latency reports by result (sent, failed, dropped)',
      labelNames: ['result'],
      registers,
    }),
    outboxJobs: new Gauge({
      name: `${prefix}outbox_jobs`,
      help: 'Outbox jobs by status (depth = pending + delivering)',
      labelNames: ['status'],
      registers,
    }),
    outboxAttempts: new Counter({
      name: `${prefix}outbox_attempts_total`,
      help: 'Outbox delivery attempts by job kind and result (delivered, retry, dead)',
      labelNames: ['kind', 'result'],
      registers,
    }),
    outboxDeadLetters: new Counter({
      name: `${prefix}outbox_dead_letters_total`,
      help: 'Outbox jobs moved to the dead-letter state',
      labelNames: ['kind'],
      registers,
    }),
    notifications: new Counter({
      name: `${prefix}wxpay_notifications_total`,
      help: 'Pay-result notifications by result and rejection reason',
      labelNames: ['result', 'reason'],
      registers,
    }),
    paymentAnomalies: new Counter({
      name: `${prefix}payment_anomalies_total`,
      help: 'Payments WeChat Pay took that the shop did not expect (double_payment, paid_after_close), each counted once',
      labelNames: ['kind'],
      registers,
    }),
    orderTransitions: orderTransitionsCounter(prefix, registers),
    refundTransitions: new Counter({
      name: `${prefix}refund_transitions_total`,
      help: 'Refund status changes applied, by transition and source (anomaly = refunded automatically)',
      labelNames: ['transition', 'source'],
      registers,
    }),
    reconciliationDiscrepancies: new Counter({ name: `${prefix}reconciliation_discrepancies_total`, help: 'Differences between WeChat Pay\'s daily bill and our books, by kind', labelNames: ['kind'], registers }),
    reconciliationLastSuccess: new Gauge({ name: `${prefix}reconciliation_last_success_timestamp_seconds`, help: 'When the last reconciliation run succeeded (Unix seconds)', registers }),
    refundNotifications: new Counter({
      name: `${prefix}wxpay_refund_notifications_total`,
      help: 'Refund-result notifications by result (applied, repeat, recorded_external, rejected:<reason>)',
      labelNames: ['result'],
      registers,
    }),
    notificationUnexpectedShapes: new Counter({
      name: `${prefix}wxpay_notification_unexpected_shapes_total`,
      help: 'Signed notifications accepted although an optional field had an undocumented shape, by field',
      labelNames: ['field'],
      registers,
    }),
    sqliteCommitGroupTransactions: new Histogram({
      name: `${prefix}sqlite_commit_group_transactions`,
      help: 'SQLite only: transactions that shared one synced COMMIT (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers,
    }),
  };
}

function orderTransitionsCounter(prefix: string, registers: Registry[]): Counter<'transition'> {
  const counter = new Counter({ name: `${prefix}order_transitions_total`, help: 'Order status changes applied, by lifecycle transition', labelNames: ['transition'], registers });
  // Every transition is exported from the start (at 0), so a rate() over it never has gaps.
  for (const transition of Object.keys(orderTransitions)) counter.inc({ transition }, 0);
  return counter;
}
