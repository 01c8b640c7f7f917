/** The n-th resend or query waits base × 2^(n−1), at most an hour: WeChat Pay is never hammered. */
export function refundRetryDelayMs(attempts: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 1000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
