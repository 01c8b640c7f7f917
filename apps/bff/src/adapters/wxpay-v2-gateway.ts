import { createHash } from 'node:crypto';
import type { RequestPaymentParams } from '@checkout/protocol/contract';
import type { V2Merchant } from '@checkout/protocol/wxpay';
import {
  WxPayConnectionError,
  WxPayError,
  WxPayResultError,
  WxPayReturnError,
  WxPaySignatureError,
  buildCloseOrderRequest,
  buildOrderQueryRequest,
  buildRequestPayment,
  buildUnifiedOrderRequest,
  parseCloseOrderResponse,
  parseOrderQueryResponse,
  parsePayNotification,
  parseUnifiedOrderResponse,
  parseWxPayTime,
  WxPayXmlError,
  WxPayValidationError,
  buildRefundQueryRequest,
  buildRefundRequest,
  classifyRefundError,
  parseBillTime,
  parseRefundNotification,
  parseRefundQueryResponse,
  parseRefundResponse,
  REFUND_RETRY_LATER_SECONDS,
  type RefundStatus as WxRefundStatus,
} from '@checkout/protocol/wxpay';
import type { Clock } from '../domain/ports/clock';
import type { IdGenerator } from '../domain/ports/id-generator';
import type { SignType } from '../domain/orders/order-record';
import type { CloseOutcome, NotificationVerifier, PaymentGateway, TradeQueryResult, VerifiedPayNotification } from '../domain/ports/payment-gateway';
import { NotificationRejectedError } from '../domain/ports/payment-gateway';
import type { RefundGateway, RefundQueryResult, RefundSubmission, RefundSubmitResult, VerifiedRefundNotification } from '../domain/ports/refund-gateway';
import { ProviderRejectedError, ProviderUnavailableError } from '../domain/domain-error';
import type { WxPayCallEvent, WxPayCallObserver } from './wxpay-call-event';
import { httpFailureOf, transportFailureOf, WxPayTransportError } from './wxpay-transport-error';
import { createXmlPost, type XmlAnswer, type XmlPost, type XmlPostTls } from './xml-post';

export interface WxPayGatewayConfig {
  /** https://api.mch.weixin.qq.com, or the emulator. */
  baseUrl: string;
  appId: string;
  mchId: string;
  apiKey: string;
  timeoutMs: number;
  /** Total attempts per call, including the first. */
  maxAttempts: number;
  /** Backoff before retry n is base × 2^(n−1), plus up to base of jitter. */
  retryBaseDelayMs: number;
  signType: SignType;
  /** `/secapi/*`: its own base URL and the merchant certificate for mutual TLS. */
  secapi: { baseUrl: string; tls: XmlPostTls };
  /** notify_url of refund results. */
  refundNotifyUrl: string;
}

export interface WxPayGatewayDeps {
  clock: Clock;
  ids: Pick<IdGenerator, 'nonceStr'>;
  /** Replaces the built-in keep-alive node:http(s) transport (tests inject faults this way). */
  fetch?: typeof fetch;
  observer?: WxPayCallObserver;
  sleep?: (ms: number) => Promise<void>;
}

type InterfaceName = WxPayCallEvent['interfaceName'];

const paths: Record<InterfaceName, string> = {
  unifiedorder: '/pay/unifiedorder',
  orderquery: '/pay/orderquery',
  closeorder: '/pay/closeorder',
  refund: '/secapi/pay/refund',
  refundquery: '/pay/refundquery',
};

const refundStatus: Record<WxRefundStatus, 'processing' | 'succeeded' | 'closed' | 'abnormal'> = {
  PROCESSING: 'processing',
  SUCCESS: 'succeeded',
  REFUNDCLOSE: 'closed',
  CHANGE: 'abnormal',
};

/**
 * WeChat Pay v2 over fetch. Each call builds its signed XML once and sends exactly those bytes on
 * every retry (identical parameters), retrying only what WeChat Pay says is safe to retry:
 * connection errors, timeouts, 5xx, SYSTEMERROR-class result codes and unverifiable responses.
 */
export class WxPayV2Gateway implements PaymentGateway, NotificationVerifier, RefundGateway {
  private readonly send: XmlPost;
  /** Always node:https with the merchant certificate (an injected fetch cannot present one). */
  private readonly sendSecure: XmlPost;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly config: WxPayGatewayConfig,
    private readonly deps: WxPayGatewayDeps,
  ) {
    const injected = deps.fetch;
    this.send = injected ? (url, xml, timeoutMs) => postWithFetch(injected, url, xml, timeoutMs) : createXmlPost();
    this.sendSecure = createXmlPost({ tls: config.secapi.tls });
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async unifiedOrder(input: Parameters<PaymentGateway['unifiedOrder']>[0]): Promise<{ prepayId: string }> {
    const merchant = this.merchant(input.signType);
    const { xml } = buildUnifiedOrderRequest({ ...input.params, outTradeNo: input.outTradeNo }, merchant, this.deps.ids.nonceStr());
    const response = await this.call('unifiedorder', input.outTradeNo, xml, (body) => parseUnifiedOrderResponse(body, merchant));
    return { prepayId: response.prepayId };
  }

  async queryOrder(input: Parameters<PaymentGateway['queryOrder']>[0]): Promise<TradeQueryResult> {
    const merchant = this.merchant(input.signType);
    const key = input.transactionId === undefined ? { outTradeNo: input.outTradeNo } : { transactionId: input.transactionId };
    const { xml } = buildOrderQueryRequest(key, merchant, this.deps.ids.nonceStr());
    try {
      const result = await this.call('orderquery', input.outTradeNo, xml, (body) => parseOrderQueryResponse(body, merchant));
      return {
        kind: 'found',
        appId: result.raw.appid ?? '',
        mchId: result.raw.mch_id ?? '',
        outTradeNo: result.outTradeNo,
        tradeState: result.tradeState,
        transactionId: result.transactionId ?? null,
        totalFee: result.totalFee === undefined ? null : Number(result.totalFee),
        timeEnd: parseTimeEnd(result.timeEnd),
      };
    } catch (error) {
      if (error instanceof ProviderRejectedError && error.providerCode === 'ORDERNOTEXIST') return { kind: 'not_found' };
      throw error;
    }
  }

  async closeOrder(input: { outTradeNo: string; signType: SignType }): Promise<CloseOutcome> {
    const merchant = this.merchant(input.signType);
    const { xml } = buildCloseOrderRequest({ outTradeNo: input.outTradeNo }, merchant, this.deps.ids.nonceStr());
    try {
      await this.call('closeorder', input.outTradeNo, xml, (body) => parseCloseOrderResponse(body, merchant));
      return 'closed';
    } catch (error) {
      if (error instanceof ProviderRejectedError) {
        if (error.providerCode === 'ORDERPAID') return 'paid';
        if (error.providerCode === 'ORDERCLOSED') return 'already_closed';
        if (error.providerCode === 'ORDERNOTEXIST') return 'not_found';
      }
      throw error;
    }
  }

  requestPayment(input: { prepayId: string; signType: SignType; timestampSeconds: number; nonceStr: string }): RequestPaymentParams {
    return buildRequestPayment({ appId: this.config.appId, apiKey: this.config.apiKey, ...input });
  }

  verifyNotification(rawBody: string): VerifiedPayNotification {
    try {
      const n = parsePayNotification(rawBody, { apiKey: this.config.apiKey });
      let dedupeKey: string | undefined;
      return {
        outcome: n.outcome,
        appId: n.appId,
        mchId: n.mchId,
        outTradeNo: n.outTradeNo,
        transactionId: n.transactionId || null,
        totalFee: Number(n.totalFee),
        timeEnd: parseTimeEnd(n.timeEnd),
        errCode: n.errCode ?? null,
        signType: n.signType,
        // Computed when read: a repeat of an applied payment is acked without storing it.
        get dedupeKey() {
          return (dedupeKey ??= notificationDedupeKey(n.fields));
        },
        unexpectedShapes: n.unexpectedShapes,
      };
    } catch (error) {
      if (error instanceof WxPaySignatureError) throw new NotificationRejectedError('bad_signature', error.code);
      if (error instanceof WxPayError) throw new NotificationRejectedError('malformed', error.code);
      throw error;
    }
  }

  async submitRefund(refund: RefundSubmission): Promise<RefundSubmitResult> {
    const merchant = this.merchant(this.config.signType);
    const input = {
      transactionId: refund.transactionId,
      outRefundNo: refund.outRefundNo,
      totalFee: refund.totalFen,
      refundFee: refund.refundFen,
      notifyUrl: this.config.refundNotifyUrl,
      ...(refund.reason ? { refundDesc: refund.reason } : {}),
    };
    const { xml } = buildRefundRequest(input, merchant, this.deps.ids.nonceStr());
    try {
      const accepted = await this.call(
        'refund',
        refund.outTradeNo,
        xml,
        (body) => parseRefundResponse(body, merchant, input),
        { baseUrl: this.config.secapi.baseUrl, send: this.sendSecure },
        // Rate limits and a short balance are retried later by the sweeper, not hammered now.
        (error) => classifyRefundError(error.errCode) === 'retry_same_out_refund_no',
      );
      return { kind: 'accepted', refundId: accepted.refundId };
    } catch (error) {
      if (error instanceof ProviderRejectedError) {
        // return_code=FAIL (certificate, signature, parameters): not processed, will not be as sent.
        if (error.providerCode === 'RETURN_FAIL') return { kind: 'refused', code: 'RETURN_FAIL' };
        const remedy = classifyRefundError(error.providerCode);
        if (remedy === 'refused') return { kind: 'refused', code: error.providerCode };
        const notBefore = remedy === 'retry_later_same_out_refund_no' ? new Date(this.deps.clock.now().getTime() + REFUND_RETRY_LATER_SECONDS * 1000) : null;
        return { kind: 'retry', code: error.providerCode, notBefore };
      }
      // Timeouts, connection errors, unverifiable answers: it may have been accepted.
      if (error instanceof ProviderUnavailableError) return { kind: 'unknown', code: 'UNAVAILABLE' };
      throw error;
    }
  }

  async queryRefund(refund: { outRefundNo: string; outTradeNo: string }): Promise<RefundQueryResult> {
    const merchant = this.merchant(this.config.signType);
    const { xml } = buildRefundQueryRequest({ outRefundNo: refund.outRefundNo }, merchant, this.deps.ids.nonceStr());
    try {
      const result = await this.call('refundquery', refund.outTradeNo, xml, (body) => parseRefundQueryResponse(body, merchant));
      const item = result.refunds.find((candidate) => candidate.outRefundNo === refund.outRefundNo);
      if (!item) return { kind: 'not_found' };
      return {
        kind: 'found',
        status: refundStatus[item.refundStatus],
        refundId: item.refundId,
        refundFen: item.refundFee,
        receivedBy: item.refundRecvAccount ?? null,
        succeededAt: item.refundSuccessTime ? parseBillTime(item.refundSuccessTime, 'refund_success_time') : null,
      };
    } catch (error) {
      if (error instanceof ProviderRejectedError && error.providerCode === 'REFUNDNOTEXIST') return { kind: 'not_found' };
      throw error;
    }
  }

  verifyRefundNotification(rawBody: string): VerifiedRefundNotification {
    try {
      const n = parseRefundNotification(rawBody, { appId: this.config.appId, mchId: this.config.mchId, apiKey: this.config.apiKey });
      return {
        appId: n.appId,
        mchId: n.mchId,
        outTradeNo: n.outTradeNo,
        transactionId: n.transactionId,
        outRefundNo: n.outRefundNo,
        refundId: n.refundId,
        totalFen: n.totalFee,
        refundFen: n.refundFee,
        status: refundStatus[n.refundStatus] as VerifiedRefundNotification['status'],
        receivedBy: n.refundRecvAccount ?? null,
        succeededAt: n.successTime ? parseBillTime(n.successTime, 'success_time') : null,
        requestSource: n.refundRequestSource ?? null,
      };
    } catch (error) {
      if (error instanceof WxPayValidationError && error.code === 'MERCHANT_MISMATCH') throw new NotificationRejectedError('merchant_mismatch', error.code);
      if (error instanceof WxPayError) throw new NotificationRejectedError('malformed', error.code);
      throw error;
    }
  }

  private merchant(signType: SignType): V2Merchant {
    return { appId: this.config.appId, mchId: this.config.mchId, apiKey: this.config.apiKey, signType };
  }

  private async call<T>(
    name: InterfaceName,
    outTradeNo: string,
    xml: string,
    parse: (body: string) => T,
    transport: { baseUrl: string; send: XmlPost } = { baseUrl: this.config.baseUrl, send: this.send },
    /** Which result codes to retry at once (default: what the protocol package marks retryable). */
    retryableResult: (error: WxPayResultError) => boolean = (error) => error.retryable,
  ): Promise<T> {
    const url = `${transport.baseUrl.replace(/\/+$/, '')}${paths[name]}`;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.config.maxAttempts; attempt += 1) {
      if (attempt > 1) await this.sleep(this.backoff(attempt - 1));
      const startedAt = this.deps.clock.now();
      const started = performance.now();
      const report = (fields: Pick<WxPayCallEvent, 'outcome' | 'returnCode' | 'returnMsg' | 'resultCode' | 'errCode' | 'errCodeDes' | 'transportFailure'>) =>
        this.deps.observer?.({ interfaceName: name, interfaceUrl: url, outTradeNo, attempt, executeTimeMs: Math.round(performance.now() - started), startedAt, ...fields });
      try {
        const body = await this.post(transport.send, url, xml);
        const parsed = parse(body);
        report({ outcome: 'success', returnCode: 'SUCCESS', returnMsg: 'OK', resultCode: 'SUCCESS', errCode: null, errCodeDes: null });
        return parsed;
      } catch (error) {
        lastError = error;
        if (error instanceof WxPayResultError) {
          report({ outcome: 'result_fail', returnCode: 'SUCCESS', returnMsg: 'OK', resultCode: 'FAIL', errCode: error.errCode, errCodeDes: error.errCodeDes });
          if (!retryableResult(error)) throw new ProviderRejectedError(error.errCode, `${name} refused: ${error.errCode}`, { cause: error });
        } else if (error instanceof WxPayReturnError) {
          report({ outcome: 'return_fail', returnCode: 'FAIL', returnMsg: error.returnMsg, resultCode: null, errCode: null, errCodeDes: null });
          throw new ProviderRejectedError('RETURN_FAIL', `${name} refused the request: ${error.returnMsg}`, { cause: error });
        } else if (error instanceof WxPayConnectionError) {
          report({
            outcome: 'connection_error',
            returnCode: null,
            returnMsg: error.message,
            resultCode: null,
            errCode: null,
            errCodeDes: null,
            ...(error instanceof WxPayTransportError ? { transportFailure: error.failure } : {}),
          });
        } else if (error instanceof WxPayError) {
          // Unverifiable or garbled answer: never trusted; retrying the identical request is safe.
          report({ outcome: 'invalid_response', returnCode: null, returnMsg: error.code, resultCode: null, errCode: null, errCodeDes: null });
        } else {
          throw error;
        }
      }
    }
    throw new ProviderUnavailableError(`${name} failed after ${this.config.maxAttempts} attempts`, { cause: lastError });
  }

  private async post(send: XmlPost, url: string, xml: string): Promise<string> {
    let answer: XmlAnswer;
    try {
      answer = await send(url, xml, this.config.timeoutMs);
    } catch (error) {
      throw new WxPayTransportError(`request to ${url} failed: ${describe(error)}`, transportFailureOf(error), { cause: error });
    }
    if (answer.status >= 500 || answer.status === 429) throw new WxPayTransportError(`${url} answered HTTP ${answer.status}`, httpFailureOf(answer.status));
    if (answer.status < 200 || answer.status > 299) throw new WxPayXmlError('HTTP_STATUS', `${url} answered HTTP ${answer.status}`);
    return answer.body;
  }

  private backoff(retry: number): number {
    const base = this.config.retryBaseDelayMs;
    return base * 2 ** (retry - 1) + Math.floor(Math.random() * base);
  }
}

async function postWithFetch(fetchFn: typeof fetch, url: string, xml: string, timeoutMs: number): Promise<XmlAnswer> {
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: xml,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.text() };
}

/** time_end is informational (paid_at); an odd value must not block applying a verified payment. */
function parseTimeEnd(value: string | undefined): Date | null {
  if (!value) return null;
  try {
    const date = parseWxPayTime(value);
    return Number.isNaN(date.getTime()) ? null : date;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timeout' : error.message;
  return 'unknown error';
}

/**
 * WeChat Pay resends a notification byte for byte; a replay may differ in nonce_str (and so in
 * sign). Hashing every other field, sorted, gives one key per payment fact.
 */
function notificationDedupeKey(fields: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(fields).sort()) {
    if (name === 'sign' || name === 'nonce_str') continue;
    hash.update(name).update('\u0000').update(fields[name] ?? '').update('\u0000');
  }
  return hash.digest('hex');
}
