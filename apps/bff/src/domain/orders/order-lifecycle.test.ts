import { describe, expect, it } from 'vitest';
import { orderStatuses } from '@checkout/protocol/contract';
import { canTransition, canUpdate, isPaidAfterClose, orderTransitions, orderUpdates } from './order-lifecycle';

describe('order lifecycle', () => {
  it('pays from pending, and from closed or failed (WeChat Pay reported the money), never twice', () => {
    expect(orderStatuses.filter((status) => canTransition(status, 'pay'))).toEqual(['pending', 'closed', 'failed']);
    expect(canTransition('paid', 'pay')).toBe(false);
  });

  it('closes and fails only pending orders', () => {
    expect(orderStatuses.filter((status) => canTransition(status, 'close'))).toEqual(['pending']);
    expect(orderStatuses.filter((status) => canTransition(status, 'fail'))).toEqual(['pending']);
  });

  it('money that arrived only moves on by refunds; a refunded order is final; every target is a contract status', () => {
    const moneyArrived = ['paid', 'partially_refunded', 'refunded'];
    for (const [kind, { from, to }] of Object.entries(orderTransitions)) {
      if (from.some((status) => moneyArrived.includes(status))) expect([kind, moneyArrived.includes(to)]).toEqual([kind, true]);
      expect(from).not.toContain('refunded');
      expect(orderStatuses).toContain(to);
    }
    expect(orderStatuses.filter((status) => canTransition(status, 'refundPart'))).toEqual(['paid', 'partially_refunded']);
    expect(orderStatuses.filter((status) => canTransition(status, 'refundAll'))).toEqual(['paid', 'partially_refunded']);
  });

  it('status-keeping writes: prepay, failed attempt and cancel request on pending only; close at WeChat on failed only', () => {
    expect(Object.keys(orderUpdates).filter((kind) => canUpdate('pending', kind as keyof typeof orderUpdates))).toEqual(['prepay', 'failedAttempt', 'cancelRequest']);
    expect(orderStatuses.filter((status) => canUpdate(status, 'closedAtWechat'))).toEqual(['failed']);
  });

  it('a payment is after close unless the order was pending and not being cancelled', () => {
    expect(isPaidAfterClose({ status: 'pending', cancelRequested: false })).toBe(false);
    expect(isPaidAfterClose({ status: 'pending', cancelRequested: true })).toBe(true);
    expect(isPaidAfterClose({ status: 'closed', cancelRequested: false })).toBe(true);
    expect(isPaidAfterClose({ status: 'failed', cancelRequested: false })).toBe(true);
  });
});
