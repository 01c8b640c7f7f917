import type { OrderRecord } from './order-record';
import type { NewOrder } from './order-repository';

/**
 * The record of an order just inserted, as a read would return it: checkout goes on to
 * unifiedorder without reading back what it has just written.
 */
export function createdOrderRecord(order: NewOrder): OrderRecord {
  const { subsidy: _subsidy, ...fields } = order;
  return {
    ...fields,
    status: 'pending',
    prepayId: null,
    prepayExpiresAt: null,
    transactionId: null,
    cancelRequested: false,
    lastFailureCode: null,
    paidAt: null,
    closedAt: null,
    lastQueriedAt: null,
    paidAfterClose: false,
    refundHeldFen: 0,
    refundedFen: 0,
    refunds: [],
  };
}
