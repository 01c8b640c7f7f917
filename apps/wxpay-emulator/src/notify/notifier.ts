import { buildNotifyAck, buildXml, withSign } from '@checkout/protocol/wxpay';
import type { EmulatorClock } from '../state/clock';
import type { EmulatorRefund, NotifyOptions } from '../emulator-types';
import { newNonceStr } from '../state/ids';
import { isExactNotifyAck, isNotifyAck } from './notify-ack';
import type { MerchantRegistry } from '../state/merchant-registry';
import { paymentFields } from '../wire/payment-fields';
import { refundNotificationXml } from './refund-notification-xml';
import type { EmulatorStore, OrderRecord } from '../state/store';

/** Official retry delays after a failed delivery (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h = 24h4m). */
export const NOTIFY_RETRY_SCHEDULE_SECONDS: readonly number[] = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600];

/** WeChat waits this long for the merchant's answer before counting the attempt as failed. */
export const NOTIFY_ANSWER_TIMEOUT_MS = 5000;

const MAX_RECORDED_BODY = 2048;

/** One notification to deliver until acknowledged: the same body on every attempt. */
interface DeliveryTarget {
  kind: 'pay' | 'refund';
  outTradeNo: string;
  outRefundNo?: string;
  mchId: string;
  notifyUrl: string;
  xml: string;
}

export interface NotifierConfig {
  store: EmulatorStore;
  clock: EmulatorClock;
  merchants: MerchantRegistry;
  timeScale: number;
  timeoutMs: number;
  options: NotifyOptions;
  log: (line: Record<string, unknown>) => void;
}

/**
 * Pushes pay-result notifications to the order's notify_url, and refund-result notifications to
 * the refund's, and retries on the official schedule
 * (time-scaled) until an attempt is answered with an ack (see notify-ack.ts) within the timeout.
 */
export class Notifier {
  private options: NotifyOptions;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  /** Bumped by stopAll so callbacks of cancelled sequences record nothing. */
  private generation = 0;

  constructor(private readonly config: NotifierConfig) {
    this.options = { ...config.options };
  }

  setOptions(options: NotifyOptions): void {
    this.options = { ...this.options, ...options };
  }

  currentOptions(): NotifyOptions {
    return { ...this.options };
  }

  paid(order: OrderRecord): void {
    this.start(order, this.notificationXml(order, true));
  }

  failed(order: OrderRecord): void {
    if (this.options.notifyOnFailure === true) this.start(order, this.notificationXml(order, false));
  }

  /** A refund reached SUCCESS, REFUNDCLOSE or CHANGE: notify it when it has a notify URL. */
  refundOutcome(refund: EmulatorRefund): void {
    if (refund.notifyUrl === '') return;
    const merchant = this.config.merchants.byMchId(refund.mchId);
    if (merchant === undefined) throw new Error(`no merchant ${refund.mchId} for refund ${refund.outRefundNo}`);
    const target: DeliveryTarget = {
      kind: 'refund',
      outTradeNo: refund.outTradeNo,
      outRefundNo: refund.outRefundNo,
      mchId: refund.mchId,
      notifyUrl: refund.notifyUrl,
      xml: refundNotificationXml(refund, merchant.apiKey),
    };
    void this.attempt(target, 1, 0, this.generation);
  }

  /** Cancels every pending retry and in-flight delivery (reset, close). */
  stopAll(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private notificationXml(order: OrderRecord, success: boolean): string {
    const merchant = this.config.merchants.byMchId(order.mchId);
    if (merchant === undefined) throw new Error(`no merchant ${order.mchId} for order ${order.outTradeNo}`);
    const fields: Record<string, string> = {
      appid: order.appId,
      mch_id: order.mchId,
      nonce_str: newNonceStr(),
      return_code: 'SUCCESS',
      result_code: success ? 'SUCCESS' : 'FAIL',
      total_fee: String(order.totalFee),
      fee_type: 'CNY',
      out_trade_no: order.outTradeNo,
      ...paymentFields(order),
    };
    if (!success) {
      fields.err_code = 'PAYERROR';
      fields.err_code_des = '支付失败';
    }
    if (order.attach !== undefined) fields.attach = order.attach;
    // WeChat signs notifications with the order's sign type; HMAC ones often arrive without sign_type.
    if (order.signType === 'HMAC-SHA256' && this.options.omitSignType !== true) fields.sign_type = 'HMAC-SHA256';
    return buildXml(withSign(fields, merchant.apiKey, order.signType));
  }

  private start(order: OrderRecord, xml: string): void {
    if (order.notifyUrl === '') return;
    void this.attempt({ kind: 'pay', outTradeNo: order.outTradeNo, mchId: order.mchId, notifyUrl: order.notifyUrl, xml }, 1, 0, this.generation);
  }

  private async attempt(target: DeliveryTarget, attempt: number, delayMs: number, generation: number): Promise<void> {
    const copies = Math.max(1, Math.floor(this.options.duplicates ?? 1));
    const results = await Promise.all(Array.from({ length: copies }, (_, copy) => this.deliverOnce(target, attempt, copy, delayMs, generation)));
    if (generation !== this.generation || results.some(Boolean)) return;
    const nextDelaySeconds = NOTIFY_RETRY_SCHEDULE_SECONDS[attempt - 1];
    if (nextDelaySeconds === undefined) {
      this.config.log({ msg: 'notification retries exhausted', kind: target.kind, outTradeNo: target.outTradeNo, attempts: attempt });
      return;
    }
    const nextDelayMs = nextDelaySeconds * 1000 * this.config.timeScale;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(target, attempt + 1, nextDelayMs, generation);
    }, nextDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** One HTTP POST; records the attempt; true when acked. Never throws. */
  private async deliverOnce(
    target: DeliveryTarget,
    attempt: number,
    copy: number,
    delayMs: number,
    generation: number,
  ): Promise<boolean> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const at = this.config.clock.now().toISOString();
    const timeout = setTimeout(() => controller.abort(new Error(`no answer within ${this.config.timeoutMs} ms`)), this.config.timeoutMs);
    let status: number | null = null;
    let body = '';
    let error: string | undefined;
    try {
      const response = await fetch(target.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', 'user-agent': 'Mozilla/4.0 wxpay-emulator' },
        body: target.xml,
        signal: controller.signal,
        redirect: 'manual',
      });
      body = await response.text();
      status = response.status;
    } catch (cause) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : cause;
      error = reason instanceof Error ? reason.message : String(reason);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (generation !== this.generation) return false;
    const acked = status === 200 && (this.options.strictAck === true ? isExactNotifyAck(body, buildNotifyAck()) : isNotifyAck(body));
    this.config.store.addDelivery({
      kind: target.kind,
      outTradeNo: target.outTradeNo,
      ...(target.outRefundNo === undefined ? {} : { outRefundNo: target.outRefundNo }),
      mchId: target.mchId,
      attempt,
      copy,
      scheduledDelayMs: delayMs,
      at,
      notifyUrl: target.notifyUrl,
      requestBody: target.xml,
      status,
      body: body.length > MAX_RECORDED_BODY ? body.slice(0, MAX_RECORDED_BODY) : body,
      acked,
      ...(error === undefined ? {} : { error }),
    });
    this.config.log({ msg: 'notification attempt', kind: target.kind, outTradeNo: target.outTradeNo, attempt, copy, status, acked });
    return acked;
  }
}
