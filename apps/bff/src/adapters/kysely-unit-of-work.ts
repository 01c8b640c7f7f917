import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { TransactionScope, UnitOfWork } from '../domain/ports/unit-of-work';
import { KyselyOutboxStore } from './kysely-outbox-store';
import { KyselyRefundRepository } from './kysely-refund-repository';
import { KyselySubsidyOrderReader } from './kysely-subsidy-order-reader';
import { KyselyShippingStore } from './kysely-shipping-store';

/**
 * The stores of one transaction. Its refund store applies no reactions of its own: a reaction
 * that writes a refund is already running inside the change that caused it.
 */
export function transactionScope(trx: Transaction<Database>): TransactionScope & { outbox: KyselyOutboxStore } {
  return { outbox: new KyselyOutboxStore(trx), subsidyOrders: new KyselySubsidyOrderReader(trx), refunds: new KyselyRefundRepository(trx, transactionScope), shipping: new KyselyShippingStore(trx) };
}

export class KyselyUnitOfWork implements UnitOfWork {
  constructor(private readonly db: Kysely<Database>) {}

  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(transactionScope(trx)));
  }
}
