/** Delays between order re-queries after a payment: quick first, then backing off. */
export const POLL_DELAYS_MS: readonly number[] = [1000, 1500, 2000, 3000, 5000, 8000, 8000, 8000, 8000];

/**
 * After a reported failure: the BFF confirms a pending order with orderquery once it is a few
 * seconds old (ORDER_QUERY_AFTER_SECONDS, 5 by default), which is when a PAYERROR shows up.
 */
export const FAILURE_RECHECK_DELAYS_MS: readonly number[] = [1500, 2000, 3000];
