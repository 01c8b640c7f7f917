import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { TransactionScope, UnitOfWork } from '../domain/ports/unit-of-work';
import { KyselyOutboxStore } from './kysely-outbox-store';
import { KyselySubsidyOrderReader } from './kysely-subsidy-order-reader';

/** The stores of one transaction. */
export function transactionScope(trx: Transaction<Database>): TransactionScope {
  return { outbox: new KyselyOutboxStore(trx), subsidyOrders: new KyselySubsidyOrderReader(trx) };
}

export class KyselyUnitOfWork implements UnitOfWork {
  constructor(private readonly db: Kysely<Database>) {}

  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(transactionScope(trx)));
  }
}
