/* eslint-disable @typescript-eslint/require-await -- bills in memory: the async iterables answer at once */
import { describe, expect, it } from 'vitest';
import type { BillFetch, BillRow } from './bill-source';
import { placeOrder, unitMerchant, unitWorld } from '../../../test-support/in-memory/unit-deps';
import { InMemoryReconciliationStore } from '../../../test-support/in-memory/in-memory-reconciliation-store';
import { reconcileDay, type ReconcileDeps } from './reconcile-day';

const billDate = '20261201';
const paidAt = new Date('2026-12-01T03:00:00Z');

function setup(fetches: (BillFetch | (() => BillFetch))[]) {
  const world = unitWorld();
  const store = new InMemoryReconciliationStore();
  const answers = [...fetches];
  const deps: ReconcileDeps = {
    ...world.deps,
    store,
    bills: { fetchDay: async () => { const next = answers.shift(); if (!next) throw new Error('no more bills'); return typeof next === 'function' ? next() : next; } },
    workerId: 'w1',
    leaseMs: 60_000,
    retryMs: 1_800_000,
  };
  return { world, store, deps };
}

const billOf = (...rows: BillRow[]): BillFetch => ({ kind: 'bill', rows: (async function* () { yield* rows; })() });
const payment = (outTradeNo: string, totalFen: number, transactionId = `4200${outTradeNo}`): BillRow => ({ kind: 'payment', ...unitMerchant, outTradeNo, transactionId, totalFen, tradeTime: paidAt });

describe('reconcileDay', () => {
  it('a clean day records nothing and keeps the totals of both sides', async () => {
    const { store, deps } = setup([billOf(payment('T1', 1500))]);
    store.payments = [{ orderId: 'o1', outTradeNo: 'T1', status: 'paid', ...unitMerchant, payableFen: 1500, transactionId: '4200T1', paidAt }];
    const outcome = await reconcileDay(deps, billDate);
    expect(outcome).toMatchObject({ kind: 'succeeded', newDiscrepancies: 0, totals: { billPayments: { count: 1, fen: 1500 }, ourPayments: { count: 1, fen: 1500 } } });
    expect(await reconcileDay(deps, billDate)).toMatchObject({ kind: 'already_done' });
  });

  it('a lost payment is recovered through orderquery, never from the bill', async () => {
    const { world, store, deps } = setup([]);
    const order = await placeOrder(world);
    const transactionId = world.wechatPay.pay(order.outTradeNo);
    store.payments = [{ orderId: order.id, outTradeNo: order.outTradeNo, status: 'pending', ...unitMerchant, payableFen: order.payableFen, transactionId: null, paidAt: null }];
    deps.bills = { fetchDay: () => Promise.resolve(billOf(payment(order.outTradeNo, order.payableFen, transactionId))) };
    const outcome = await reconcileDay(deps, billDate);
    expect(outcome).toMatchObject({ kind: 'succeeded', recovered: 1 });
    expect([...store.discrepancies.values()].map((d) => [d.kind, d.status])).toEqual([['paid_not_here', 'recovered']]);
    expect((await world.orders.findById(order.id))?.status).toBe('paid');
    expect(world.wechatPay.calls.map((c) => c.op)).toContain('orderquery');
    // Asked about the bill's payment itself, not whatever the order's latest attempt is.
    expect(world.wechatPay.queriedTransactionIds).toEqual([transactionId]);
  });

  it('finds unknown orders, amounts, duplicates and refunds on one side only', async () => {
    const refund = (outRefundNo: string, refundFen: number): BillRow => ({ kind: 'refund', ...unitMerchant, outTradeNo: 'T1', transactionId: '4200T1', outRefundNo, refundId: `5030${outRefundNo}`, refundFen, tradeTime: paidAt });
    const { store, deps } = setup([billOf(payment('T1', 1501), payment('T9', 100), payment('T1', 1501, '4200T1b'), refund('R-portal', 300), refund('R-ours', 499))]);
    store.payments = [
      { orderId: 'o1', outTradeNo: 'T1', status: 'paid', ...unitMerchant, payableFen: 1500, transactionId: '4200T1', paidAt },
      { orderId: 'o2', outTradeNo: 'T2', status: 'paid', ...unitMerchant, payableFen: 800, transactionId: '4200T2', paidAt },
    ];
    store.refunds = [
      { outRefundNo: 'R-ours', outTradeNo: 'T1', transactionId: '4200T1', refundFen: 500, status: 'succeeded', createdAt: paidAt },
      { outRefundNo: 'R-lost', outTradeNo: 'T1', transactionId: '4200T1', refundFen: 100, status: 'processing', createdAt: paidAt },
    ];
    expect(await reconcileDay(deps, billDate)).toMatchObject({ kind: 'succeeded', newDiscrepancies: 7 });
    expect([...store.discrepancies.values()].map((d) => `${d.kind}:${d.outTradeNo}:${d.outRefundNo ?? ''}`).sort()).toEqual(
      ['amount_mismatch:T1:', 'duplicate_transaction:T1:', 'paid_not_in_bill:T2:', 'refund_amount_mismatch:T1:R-ours', 'refund_not_here:T1:R-portal', 'refund_not_in_bill:T1:R-lost', 'unknown_order:T9:'].sort(),
    );
  });

  it('waits while the bill is not ready; a corrupt bill records nothing; both are retried', async () => {
    const corrupt: BillFetch = { kind: 'bill', rows: (async function* () { yield payment('T1', 1500); throw Object.assign(new Error('summary disagrees'), { code: 'BILL_TOTAL_MISMATCH' }); })() };
    const { world, store, deps } = setup([{ kind: 'not_ready', reason: 'bill_not_ready' }, corrupt, { kind: 'no_trades' }]);
    expect(await reconcileDay(deps, billDate)).toEqual({ kind: 'waiting', reason: 'bill_not_ready' });
    expect(await store.dueRetries(world.deps.clock.now())).toEqual([]);
    world.advance(1800);
    expect(await store.dueRetries(world.deps.clock.now())).toEqual([billDate]);
    expect(await reconcileDay(deps, billDate)).toEqual({ kind: 'failed', reason: 'BILL_TOTAL_MISMATCH' });
    expect(store.discrepancies.size).toBe(0);
    expect(await reconcileDay(deps, billDate)).toMatchObject({ kind: 'succeeded', newDiscrepancies: 0 });
  });
});
