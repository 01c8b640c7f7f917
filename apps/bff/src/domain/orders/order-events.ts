import type { TransactionScope } from '../ports/unit-of-work';
import type { OrderRecord } from './order-record';

/** What happened to an order, as its reactions (the gov-subsidy sync, …) learn it. */
export type OrderEvent = { type: 'paid'; order: OrderRecord };

/**
 * A reaction applied inside the transaction that made the change, through that transaction's
 * stores: what it writes commits with the change, and a throw rolls the change back (WeChat Pay
 * then retries the notification).
 */
export type OrderEventHandler = (event: OrderEvent, scope: TransactionScope) => Promise<void>;
