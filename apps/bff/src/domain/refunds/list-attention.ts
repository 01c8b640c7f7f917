import type { CheckoutDeps } from '../checkout-deps';
import type { PaymentAnomalyRecord } from '../orders/payment-anomaly';
import type { RefundRecord } from './refund-record';

export interface Attention {
  refunds: RefundRecord[];
  unsettledRefunds: RefundRecord[];
  openAnomalies: PaymentAnomalyRecord[];
}

/** Refunds this many sends old and still not confirmed by WeChat Pay deserve a person's eyes. */
const unsettledAfterAttempts = 3;

/** What an operator must look at: money in limbo or taken by mistake. */
export async function listAttention(deps: Pick<CheckoutDeps, 'refunds' | 'paymentAnomalies'>, limit: number): Promise<Attention> {
  const [refunds, requested, openAnomalies] = await Promise.all([
    deps.refunds.list({ statuses: ['abnormal', 'refused'], limit }),
    deps.refunds.list({ statuses: ['requested'], limit: limit * 4 }),
    deps.paymentAnomalies.list({ status: 'open', limit }),
  ]);
  return { refunds, unsettledRefunds: requested.filter((refund) => refund.attempts >= unsettledAfterAttempts).slice(0, limit), openAnomalies };
}
