/* eslint-disable @typescript-eslint/require-await -- in memory, the async ports answer at once */
import { createHash } from 'node:crypto';
import type { RequestPaymentParams } from '@checkout/protocol/contract';
import type { SignType, UnifiedOrderParams } from '../../src/domain/orders/order-record';
import type { CloseOutcome, PaymentGateway, TradeQueryResult, TradeState } from '../../src/domain/ports/payment-gateway';
import { ProviderRejectedError, ProviderUnavailableError } from '../../src/domain/domain-error';

interface RemoteOrder {
  appId: string;
  mchId: string;
  outTradeNo: string;
  params: UnifiedOrderParams;
  prepayIds: string[];
  tradeState: TradeState;
  transactionId: string | null;
}

type Failure = 'unavailable' | { rejected: string };

/**
 * WeChat Pay as the PaymentGateway port sees it, in memory, for the use-case unit tests: orders by
 * out_trade_no, the same answer for a repeated unifiedorder with identical parameters (and
 * INVALID_REQUEST for changed ones), ORDERPAID / ORDERCLOSED like the real service, and failures
 * queued per operation. The real protocol is proven against the emulator in the integration tests.
 */
export class InMemoryWeChatPay implements PaymentGateway {
  readonly orders = new Map<string, RemoteOrder>();
  readonly calls: { op: 'unifiedorder' | 'orderquery' | 'closeorder'; outTradeNo: string }[] = [];
  /** The transaction_id each orderquery named (null: by out_trade_no). */
  readonly queriedTransactionIds: (string | null)[] = [];
  private readonly failures: Record<'unifiedorder' | 'orderquery' | 'closeorder', Failure[]> = { unifiedorder: [], orderquery: [], closeorder: [] };
  private sequence = 0;

  constructor(private readonly merchant: { appId: string; mchId: string }) {}

  /** The next calls of `op` fail this way, in order. */
  failNext(op: 'unifiedorder' | 'orderquery' | 'closeorder', ...failures: Failure[]): void {
    this.failures[op].push(...failures);
  }

  /** The buyer paid at the cashier. */
  pay(outTradeNo: string, state: TradeState = 'SUCCESS'): string {
    const order = this.get(outTradeNo);
    order.tradeState = state;
    order.transactionId = state === 'SUCCESS' ? `42000${String(++this.sequence).padStart(23, '0')}` : null;
    return order.transactionId ?? '';
  }

  async unifiedOrder(input: { outTradeNo: string; signType: SignType; params: UnifiedOrderParams }): Promise<{ prepayId: string }> {
    this.record('unifiedorder', input.outTradeNo);
    const existing = this.orders.get(input.outTradeNo);
    if (existing?.tradeState === 'SUCCESS') throw new ProviderRejectedError('ORDERPAID', 'order paid');
    if (existing?.tradeState === 'CLOSED') throw new ProviderRejectedError('ORDERCLOSED', 'order closed');
    if (existing && JSON.stringify(existing.params) !== JSON.stringify(input.params)) throw new ProviderRejectedError('INVALID_REQUEST', '201 商户订单号重复');
    const order = existing ?? { ...this.merchant, outTradeNo: input.outTradeNo, params: input.params, prepayIds: [], tradeState: 'NOTPAY' as TradeState, transactionId: null };
    order.prepayIds.push(`wx${String(++this.sequence).padStart(34, '0')}`);
    this.orders.set(input.outTradeNo, order);
    return { prepayId: order.prepayIds.at(-1) ?? '' };
  }

  async queryOrder(input: { outTradeNo: string; transactionId?: string; signType: SignType }): Promise<TradeQueryResult> {
    this.record('orderquery', input.outTradeNo);
    this.queriedTransactionIds.push(input.transactionId ?? null);
    // transaction_id wins over out_trade_no, as at WeChat Pay.
    const order = input.transactionId === undefined ? this.orders.get(input.outTradeNo) : [...this.orders.values()].find((o) => o.transactionId === input.transactionId);
    if (!order) return { kind: 'not_found' };
    const paid = order.tradeState === 'SUCCESS';
    return {
      kind: 'found',
      appId: order.appId,
      mchId: order.mchId,
      outTradeNo: order.outTradeNo,
      tradeState: order.tradeState,
      transactionId: order.transactionId,
      totalFee: paid ? order.params.totalFee : null,
      timeEnd: paid ? new Date(0) : null,
    };
  }

  async closeOrder(input: { outTradeNo: string; signType: SignType }): Promise<CloseOutcome> {
    this.record('closeorder', input.outTradeNo);
    const order = this.orders.get(input.outTradeNo);
    if (!order) return 'not_found';
    if (order.tradeState === 'SUCCESS') return 'paid';
    if (order.tradeState === 'CLOSED') return 'already_closed';
    order.tradeState = 'CLOSED';
    return 'closed';
  }

  requestPayment(input: { prepayId: string; signType: SignType; timestampSeconds: number; nonceStr: string }): RequestPaymentParams {
    // Not WeChat's algorithm (the adapter's signing is tested against the official vectors): a stand-in of the right shape.
    const paySign = createHash('md5').update(`${input.prepayId}|${input.timestampSeconds}|${input.nonceStr}`).digest('hex').toUpperCase();
    return { timeStamp: String(input.timestampSeconds), nonceStr: input.nonceStr, package: `prepay_id=${input.prepayId}`, signType: input.signType, paySign };
  }

  private record(op: 'unifiedorder' | 'orderquery' | 'closeorder', outTradeNo: string): void {
    this.calls.push({ op, outTradeNo });
    const failure = this.failures[op].shift();
    if (failure === 'unavailable') throw new ProviderUnavailableError(`${op} unavailable`);
    if (failure) throw new ProviderRejectedError(failure.rejected, `${op} rejected`);
  }

  private get(outTradeNo: string): RemoteOrder {
    const order = this.orders.get(outTradeNo);
    if (!order) throw new Error(`no order ${outTradeNo} at WeChat Pay`);
    return order;
  }
}
