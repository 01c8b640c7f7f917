import type { OrderStatus } from '@checkout/protocol/contract';

/**
 * Every way an order's status may change, and from which statuses. The repository turns each
 * entry into one conditional update (`… where status in (from)`), so a transition holds with
 * several processes on one database and a late or repeated event changes nothing.
 *
 * WeChat Pay's word on money wins: a payment it reports lands even on an order we closed or
 * marked failed (recorded as paid after close, an anomaly for an operator or a refund).
 * Refunds move a paid order on once WeChat Pay says the money reached the buyer (see
 * refunds/refund-lifecycle.ts for the refund's own states).
 */
export const orderTransitions = {
  pay: { from: ['pending', 'failed', 'closed'], to: 'paid' },
  close: { from: ['pending'], to: 'closed' },
  fail: { from: ['pending'], to: 'failed' },
  refundPart: { from: ['paid', 'partially_refunded'], to: 'partially_refunded' },
  refundAll: { from: ['paid', 'partially_refunded'], to: 'refunded' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus }>;

export type OrderTransitionKind = keyof typeof orderTransitions;

/**
 * Writes that keep the status but are guarded by it like a transition: a late answer must not
 * touch an order that moved on meanwhile.
 */
export const orderUpdates = {
  /** A new prepay_id (first or renewed). */
  prepay: ['pending'],
  /** Why the last attempt failed (the buyer may still pay). */
  failedAttempt: ['pending'],
  /** The buyer cancelled; the sweeper closes it at WeChat Pay once allowed. */
  cancelRequest: ['pending'],
  /** A failed order was closed at WeChat Pay too, so it can never be paid later. */
  closedAtWechat: ['failed'],
} as const satisfies Record<string, readonly OrderStatus[]>;

export type OrderUpdateKind = keyof typeof orderUpdates;

export function canTransition(status: OrderStatus, kind: OrderTransitionKind): boolean {
  return (orderTransitions[kind].from as readonly OrderStatus[]).includes(status);
}

export function canUpdate(status: OrderStatus, kind: OrderUpdateKind): boolean {
  return (orderUpdates[kind] as readonly OrderStatus[]).includes(status);
}

/** A payment on an order that was no longer open to it: money to give back or keep by hand. */
export function isPaidAfterClose(order: { status: OrderStatus; cancelRequested: boolean }): boolean {
  return order.status !== 'pending' || order.cancelRequested;
}
