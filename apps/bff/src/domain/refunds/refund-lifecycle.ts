import type { OrderStatus } from '@checkout/protocol/contract';
import type { RefundStatus } from './refund-record';

/**
 * Every way a refund's status may change, and from which statuses; the repository applies each as
 * one conditional update, so a repeated or late answer (notification, refundquery, the request's
 * own answer) changes nothing. WeChat Pay's final word wins over `requested`: an answer that was
 * lost does not stop its notification from landing.
 */
export const refundTransitions = {
  /** WeChat Pay accepted the request. */
  accept: { from: ['requested'], to: 'processing' },
  succeed: { from: ['requested', 'processing'], to: 'succeeded' },
  close: { from: ['requested', 'processing'], to: 'closed' },
  /** CHANGE: the money is back at WeChat Pay for an operator to move. */
  abnormal: { from: ['requested', 'processing'], to: 'abnormal' },
  refuse: { from: ['requested'], to: 'refused' },
} as const satisfies Record<string, { from: readonly RefundStatus[]; to: RefundStatus }>;

export type RefundTransitionKind = keyof typeof refundTransitions;

/** Statuses whose amount is spoken for: it counts against what may still be refunded. */
export const refundHoldingStatuses: readonly RefundStatus[] = ['requested', 'processing', 'succeeded', 'abnormal'];

/** Statuses that end a refund: nothing more to send or query. */
export const finalRefundStatuses: readonly RefundStatus[] = ['succeeded', 'closed', 'refused', 'abnormal'];

/** Orders whose payment may be refunded (part or all of what is left). */
export const refundableOrderStatuses: readonly OrderStatus[] = ['paid', 'partially_refunded'];

export function canRefundTransition(status: RefundStatus, kind: RefundTransitionKind): boolean {
  return (refundTransitions[kind].from as readonly RefundStatus[]).includes(status);
}

/** The order's status once `succeededFen` of its `paidFen` has been refunded. */
export function orderStatusAfterRefunds(paidFen: number, succeededFen: number): OrderStatus {
  if (succeededFen <= 0) return 'paid';
  return succeededFen >= paidFen ? 'refunded' : 'partially_refunded';
}
