import type { SubsidyOrderReader } from '../subsidy/subsidy-order-reader';
import type { RefundRepository } from '../refunds/refund-repository';
import type { OutboxStore } from './outbox-store';
import type { ShippingStore } from '../shipping/shipping-store';

/** The stores a reaction may touch, all bound to one database transaction. */
export interface TransactionScope {
  outbox: OutboxStore;
  subsidyOrders: SubsidyOrderReader;
  refunds: RefundRepository;
  shipping: ShippingStore;
}

/** Runs `work` in one database transaction: everything it wrote commits together or not at all. */
export interface UnitOfWork {
  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}
