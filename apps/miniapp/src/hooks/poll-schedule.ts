/** Delays between order re-queries after a payment: quick first, then backing off. */
export const POLL_DELAYS_MS: readonly number[] = [1000, 1500, 2000, 3000, 5000, 8000, 8000, 8000, 8000];
