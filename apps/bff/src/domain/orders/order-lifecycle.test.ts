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

  it('no transition leaves a paid or refunded order, and every target is a contract status', () => {
    for (const { from, to } of Object.values(orderTransitions)) {
      expect(from).not.toContain('paid');
      expect(from).not.toContain('refunded');
      expect(orderStatuses).toContain(to);
    }
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
