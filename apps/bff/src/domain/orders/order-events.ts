import type { TransactionScope } from '../ports/unit-of-work';
import type { RefundRecord } from '../refunds/refund-record';
import type { OrderRecord } from './order-record';
import type { PaymentAnomalyKind } from './payment-anomaly';

/** What happened to an order, as its reactions (the gov-subsidy sync, automatic refunds, …) learn it. */
export type OrderEvent =
  | { type: 'paid'; order: OrderRecord }
  /** Money WeChat Pay took that the shop did not expect, recorded for the first time. */
  | { type: 'payment_anomaly'; order: OrderRecord; anomaly: { id: string; kind: PaymentAnomalyKind; transactionId: string; amountFen: number } }
  | { type: 'refund_succeeded'; order: OrderRecord; refund: RefundRecord };

/**
 * A reaction applied inside the transaction that made the change, through that transaction's
 * stores: what it writes commits with the change, and a throw rolls the change back (WeChat Pay
 * then retries the notification).
 */
export type OrderEventHandler = (event: OrderEvent, scope: TransactionScope) => Promise<void>;
