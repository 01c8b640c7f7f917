import type { Generated } from 'kysely';
import type { OutboxJobsTable } from '../outbox/outbox-table';

/**
 * Table types. Portable choices so SQLite and PostgreSQL run the same migrations and queries:
 * instants are ISO-8601 UTC text (lexically ordered), booleans are 0/1 integers, amounts are
 * bigint columns read back through Number() (pg returns int8 as a string).
 */
export interface UsersTable {
  id: string;
  openid: string;
  created_at: string;
  last_login_at: string;
  /** Bumped by logout / revocation; tokens carry the value they were issued with. Default 0. */
  session_generation: Generated<number>;
}

export interface ProductsTable {
  id: string;
  name: string;
  description: string;
  price_fen: number | string;
  image_url: string | null;
  active: number;
  sort_order: number;
  appliance_id: number | null;
  brand: string | null;
  energy_grade: string | null;
  /** courier | virtual | pickup (default courier). */
  fulfillment: Generated<string>;
}

export interface OrdersTable {
  id: string;
  user_id: string;
  out_trade_no: string;
  status: string;
  app_id: string;
  mch_id: string;
  sign_type: string;
  total_fen: number | string;
  subsidy_discount_fen: number | string;
  payable_fen: number | string;
  /** The unifiedorder parameters as JSON, repeated identically on every (re-)order. */
  unifiedorder_params: string;
  prepay_id: string | null;
  prepay_expires_at: string | null;
  transaction_id: string | null;
  cancel_requested: number;
  idempotency_key: string | null;
  request_fingerprint: string | null;
  last_failure_code: string | null;
  created_at: string;
  expires_at: string;
  paid_at: string | null;
  closed_at: string | null;
  close_reason: string | null;
  last_queried_at: string | null;
  sweep_lease_until: string | null;
  /** 1 when a payment landed after the order was closed, cancelled or failed (see payment_anomalies). */
  paid_after_close: Generated<number>;
  /** Refunded or being refunded of this order's own payment (CHECK ≤ payable_fen). */
  refund_held_fen: Generated<number | string>;
  /** Refunded to the buyer (succeeded). */
  refunded_fen: Generated<number | string>;
  /** Rows in `refunds` for this order. */
  refund_count: Generated<number>;
  updated_at: string;
}

export interface OrderItemsTable {
  order_id: string;
  line_no: number;
  product_id: string;
  name: string;
  quantity: number;
  unit_price_fen: number | string;
  subsidy_discount_fen: number | string;
  appliance_id: number | null;
  brand: string | null;
  energy_grade: string | null;
}

export interface OrderSubsidiesTable {
  order_id: string;
  identity_document_type: string;
  receive_region_code: string;
  qualification_region_code: number;
  /** realName / idCardNumber / phoneNumber, AES-256-GCM sealed. */
  pii_sealed: string;
}

export interface PayNotificationsTable {
  id: string;
  order_id: string | null;
  out_trade_no: string;
  transaction_id: string | null;
  outcome: string;
  err_code: string | null;
  /** True when this copy moved the order to paid. */
  applied: number;
  raw_body: string;
  received_at: string;
  /** Identifies the notification's content (fields but nonce_str and sign); null on rows stored before it existed. */
  dedupe_key: string | null;
  /** Further copies of this notification received after it was stored. */
  repeat_count: Generated<number>;
}

export interface PaymentAnomaliesTable {
  id: string;
  order_id: string;
  out_trade_no: string;
  /** `double_payment` | `paid_after_close` */
  kind: string;
  transaction_id: string;
  amount_fen: number | string;
  /** `open` until refunded or resolved. */
  status: string;
  detail: string;
  detected_at: string;
}

export interface RefundsTable {
  id: string;
  order_id: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string | null;
  total_fen: number | string;
  refund_fen: number | string;
  /** RefundStatus (domain/refunds/refund-record.ts). */
  status: string;
  /** `operator` | `anomaly` | `merchant_portal` */
  source: string;
  reason: string | null;
  anomaly_id: string | null;
  idempotency_key: string | null;
  last_error: string | null;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  received_by: string | null;
  succeeded_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReconciliationRunsTable {
  id: string;
  bill_date: string;
  mch_id: string;
  /** RunStatus (domain/reconciliation/reconciliation-run.ts). */
  status: string;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: string | null;
  leased_by: string | null;
  lease_until: string | null;
  /** DayTotals as JSON, once succeeded. */
  totals: string | null;
  discrepancies: Generated<number>;
  started_at: string | null;
  finished_at: string | null;
}

export interface ReconciliationDiscrepanciesTable {
  id: string;
  run_id: string;
  bill_date: string;
  kind: string;
  /** bill_date + kind + out_trade_no + out_refund_no: one row per fact and day. */
  dedupe_key: string;
  out_trade_no: string;
  transaction_id: string | null;
  out_refund_no: string | null;
  our_fen: number | string | null;
  bill_fen: number | string | null;
  detail: string;
  /** `open` | `recovered` | `resolved` */
  status: string;
  resolution_note: string | null;
  detected_at: string;
  resolved_at: string | null;
}

export interface OrderEventsTable {
  id: string;
  order_id: string;
  kind: string;
  detail: string;
  at: string;
}

export interface OrderShippingTable {
  order_id: string;
  out_trade_no: string;
  fulfillment: string;
  status: string;
  parcel_count: Generated<number>;
  shipment_count: Generated<number>;
  received_at: string | null;
  confirm_receive_method: number | null;
  settlement_time: string | null;
  created_at: string;
  updated_at: string;
}

export interface ShipmentsTable {
  id: string;
  order_id: string;
  sequence: number;
  idempotency_key: string | null;
  request_fingerprint: string | null;
  /** JSON array of parcels; contacts already masked. */
  parcels: string;
  completes_delivery: number;
  /** RFC 3339 Beijing, as sent on every attempt. */
  upload_time: string;
  job_dedupe_key: string;
  created_at: string;
}

export interface WechatAccessTokensTable {
  app_id: string;
  /** AES-GCM sealed: the token is a bearer credential. */
  sealed_token: string | null;
  expires_at: string | null;
  lease_holder: string | null;
  lease_until: string | null;
  refreshed_at: string | null;
}

export interface Database {
  users: UsersTable;
  products: ProductsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  order_subsidies: OrderSubsidiesTable;
  pay_notifications: PayNotificationsTable;
  order_events: OrderEventsTable;
  payment_anomalies: PaymentAnomaliesTable;
  refunds: RefundsTable;
  reconciliation_runs: ReconciliationRunsTable;
  reconciliation_discrepancies: ReconciliationDiscrepanciesTable;
  order_shipping: OrderShippingTable;
  shipments: ShipmentsTable;
  wechat_access_tokens: WechatAccessTokensTable;
  outbox_jobs: OutboxJobsTable;
}
