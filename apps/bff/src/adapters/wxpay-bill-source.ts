import { buildDownloadBillRequest, DOWNLOADBILL_PATH, readTradeBill, WxPayDownloadBillError, type TradeBillRow } from '@checkout/protocol/wxpay';
import type { SignType } from '../domain/orders/order-record';
import type { IdGenerator } from '../domain/ports/id-generator';
import type { BillFetch, BillRow, BillSource } from '../domain/reconciliation/bill-source';
import { postXmlForStream } from './xml-post';

export interface WxPayBillSourceConfig {
  baseUrl: string;
  appId: string;
  mchId: string;
  apiKey: string;
  signType: SignType;
  timeoutMs: number;
}

/**
 * `/pay/downloadbill` (ALL, gzip) read as a stream through the protocol package's bill reader:
 * one chunk and one row in memory at a time, the summary checked at the end (a corrupt bill
 * throws from the iteration). XML answers are told apart before the first row.
 */
export class WxPayBillSource implements BillSource {
  constructor(
    private readonly config: WxPayBillSourceConfig,
    private readonly ids: Pick<IdGenerator, 'nonceStr'>,
  ) {}

  async fetchDay(billDate: string): Promise<BillFetch> {
    const merchant = { appId: this.config.appId, mchId: this.config.mchId, apiKey: this.config.apiKey, signType: this.config.signType };
    const { xml } = buildDownloadBillRequest({ billDate, billType: 'ALL', gzip: true }, merchant, this.ids.nonceStr());
    const answer = await postXmlForStream(`${this.config.baseUrl.replace(/\/+$/, '')}${DOWNLOADBILL_PATH}`, xml, this.config.timeoutMs);
    if (answer.status >= 500 || answer.status === 429) {
      answer.body.resume();
      return { kind: 'not_ready', reason: `HTTP_${String(answer.status)}` };
    }
    const rows = readTradeBill(answer.body, { billType: 'ALL' })[Symbol.asyncIterator]();
    let first: IteratorResult<TradeBillRow>;
    try {
      first = await rows.next();
    } catch (error) {
      answer.body.destroy();
      if (error instanceof WxPayDownloadBillError) {
        if (error.kind === 'no_trades_that_day') return { kind: 'no_trades' };
        if (error.retryable) return { kind: 'not_ready', reason: error.kind };
      }
      throw error;
    }
    return {
      kind: 'bill',
      rows: (async function* () {
        let next = first;
        while (!next.done) {
          yield toBillRow(next.value);
          next = await rows.next();
        }
      })(),
    };
  }
}

export function toBillRow(row: TradeBillRow): BillRow {
  const common = { appId: row.appId, mchId: row.mchId, outTradeNo: row.outTradeNo, transactionId: row.transactionId, tradeTime: row.tradeTime };
  if (row.refund && row.refund.outRefundNo !== '') {
    // What the merchant asked for (申请退款金额): what our refund row holds.
    return { kind: 'refund', ...common, outRefundNo: row.refund.outRefundNo, refundId: row.refund.refundId, refundFen: row.refund.applyRefundFee };
  }
  return { kind: 'payment', ...common, totalFen: row.totalFee };
}
