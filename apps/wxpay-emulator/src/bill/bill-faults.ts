/*
 * Faults that make a bill disagree with the rest of the emulator, so clients can test their
 * reconciliation: a payment row with another amount than the ledger's order, and a summary line
 * that disagrees with the rows. Both are kept until reset.
 */
export class BillFaults {
  /** By the store's order key (mch_id + out_trade_no): the amount the bill shows instead. */
  private readonly amounts = new Map<string, { outTradeNo: string; totalFee: number }>();
  private readonly corruptDates = new Set<string>();

  alterAmount(orderKey: string, outTradeNo: string, totalFee: number): void {
    this.amounts.set(orderKey, { outTradeNo, totalFee });
  }

  /** The amount the bill shows for this order, if altered. */
  amountOf(orderKey: string): number | undefined {
    return this.amounts.get(orderKey)?.totalFee;
  }

  corruptSummary(billDate: string): void {
    this.corruptDates.add(billDate);
  }

  isSummaryCorrupt(billDate: string): boolean {
    return this.corruptDates.has(billDate);
  }

  snapshot(): { amounts: Record<string, number>; corruptSummaries: string[] } {
    return {
      amounts: Object.fromEntries([...this.amounts.values()].map((a) => [a.outTradeNo, a.totalFee])),
      corruptSummaries: [...this.corruptDates].sort(),
    };
  }

  clear(): void {
    this.amounts.clear();
    this.corruptDates.clear();
  }
}
