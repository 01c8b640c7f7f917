import type { PaidSubsidyOrder } from './gov-subsidy-sync-job';
import type { SealedSubsidyClaim } from './sealed-subsidy-claim';

export interface StoredSubsidyOrder {
  order: PaidSubsidyOrder & { status: string; paidAt: Date | null };
  /** Null when the buyer did not claim the subsidy. */
  claim: SealedSubsidyClaim | null;
}

/** An order, its lines and its subsidy claim, as the gov sync needs them. */
export interface SubsidyOrderReader {
  load(orderId: string): Promise<StoredSubsidyOrder | null>;
  /** Whether the order carries a national-subsidy claim (one indexed read; most paid orders do not). */
  hasClaim(orderId: string): Promise<boolean>;
}
