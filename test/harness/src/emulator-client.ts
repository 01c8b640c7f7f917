import { z } from 'zod';
import type { RequestPaymentParams } from '@checkout/protocol/contract';
import type { EmulatorEndpoint, FaultSpec, NotifyOptions } from '@checkout/wxpay-emulator';

// Local schemas for the emulator's control API answers (apps/wxpay-emulator/src/routes/control-routes.ts):
// only the fields the suites read, loose so new fields do not break them.
export const emulatorOrderSchema = z.looseObject({
  appId: z.string(),
  mchId: z.string(),
  outTradeNo: z.string(),
  prepayId: z.string(),
  totalFee: z.number(),
  openid: z.string(),
  notifyUrl: z.string(),
  signType: z.string(),
  tradeState: z.string(),
  transactionId: z.string().optional(),
  createdAt: z.string(),
});
export type EmulatorOrderView = z.infer<typeof emulatorOrderSchema>;

export const deliverySchema = z.looseObject({
  id: z.number(),
  outTradeNo: z.string(),
  attempt: z.number(),
  copy: z.number(),
  status: z.number().nullable(),
  body: z.string(),
  acked: z.boolean(),
  requestBody: z.string().optional(),
  error: z.string().optional(),
});
export type DeliveryView = z.infer<typeof deliverySchema>;

export const emulatorRefundSchema = z.looseObject({
  outTradeNo: z.string(),
  transactionId: z.string(),
  outRefundNo: z.string(),
  refundId: z.string(),
  totalFee: z.number(),
  refundFee: z.number(),
  refundStatus: z.string(),
  refundRequestSource: z.string(),
});
export type EmulatorRefundView = z.infer<typeof emulatorRefundSchema>;

export const cashierResultSchema = z.looseObject({
  errMsg: z.string(),
  code: z.string().optional(),
  detail: z.string().optional(),
});
export type CashierResultView = z.infer<typeof cashierResultSchema>;

// The emulator's own types: the control API speaks them as JSON, so they cannot drift apart.
export type { EmulatorEndpoint, FaultSpec, NotifyOptions } from '@checkout/wxpay-emulator';

/** The emulator's HTTP control API (`/__emulator/…`) and JSON cashier, as seen from a test. */
export class EmulatorClient {
  constructor(
    readonly baseUrl: string,
    readonly appId: string,
  ) {}

  async issueLoginCode(openid?: string): Promise<string> {
    const answer = await this.json('POST', '/__emulator/login-codes', openid === undefined ? {} : { openid });
    return z.object({ code: z.string() }).parse(answer).code;
  }

  async advanceClock(ms: number): Promise<Date> {
    const answer = await this.json('POST', '/__emulator/clock/advance', { ms });
    return new Date(z.object({ now: z.string() }).parse(answer).now);
  }

  async now(): Promise<Date> {
    return new Date(z.object({ now: z.string() }).parse(await this.json('GET', '/__emulator/clock')).now);
  }

  async orders(): Promise<EmulatorOrderView[]> {
    return z.array(emulatorOrderSchema).parse(await this.json('GET', '/__emulator/orders'));
  }

  async order(outTradeNo: string): Promise<EmulatorOrderView | null> {
    const response = await fetch(this.url(`/__emulator/orders/${encodeURIComponent(outTradeNo)}`));
    if (response.status === 404) return null;
    return emulatorOrderSchema.parse(await this.checked(response, 'GET order'));
  }

  async payOrder(outTradeNo: string): Promise<EmulatorOrderView> {
    return emulatorOrderSchema.parse(await this.json('POST', `/__emulator/orders/${encodeURIComponent(outTradeNo)}/pay`));
  }

  async closeOrder(outTradeNo: string): Promise<EmulatorOrderView> {
    return emulatorOrderSchema.parse(await this.json('POST', `/__emulator/orders/${encodeURIComponent(outTradeNo)}/close`));
  }

  /** Refunds in the emulator's ledger (of one order when given), oldest first. */
  async refunds(outTradeNo?: string): Promise<EmulatorRefundView[]> {
    const query = outTradeNo === undefined ? '' : `?outTradeNo=${encodeURIComponent(outTradeNo)}`;
    return z.array(emulatorRefundSchema).parse(await this.json('GET', `/__emulator/refunds${query}`));
  }

  /** true: refunds stay PROCESSING until released (or settled by hand). */
  async holdRefunds(hold: boolean): Promise<void> {
    await this.json('PUT', '/__emulator/refunds/hold', { hold });
  }

  async deliveries(): Promise<DeliveryView[]> {
    return z.array(deliverySchema).parse(await this.json('GET', '/__emulator/deliveries'));
  }

  async govSyncs(): Promise<Record<string, unknown>[]> {
    return z.array(z.record(z.string(), z.unknown())).parse(await this.json('GET', '/__emulator/gov-syncs'));
  }

  async setFaults(endpoint: EmulatorEndpoint, faults: FaultSpec): Promise<void> {
    await this.json('PUT', `/__emulator/faults/${endpoint}`, faults);
  }

  async clearFaults(): Promise<void> {
    await this.json('DELETE', '/__emulator/faults');
  }

  async setNotifyOptions(options: NotifyOptions): Promise<void> {
    await this.json('PUT', '/__emulator/notify-options', options);
  }

  async reset(): Promise<void> {
    await this.json('POST', '/__emulator/reset');
  }

  /**
   * The WeChat client's cashier: the five requestPayment fields plus our appId, checked as WeChat
   * does, then pay/cancel/fail. A refused paySign answers 400 with an errMsg, returned as is.
   */
  async cashier(
    payment: RequestPaymentParams,
    action: 'pay' | 'cancel' | 'fail' = 'pay',
  ): Promise<CashierResultView & { status: number }> {
    const response = await fetch(this.url('/cashier/confirm'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId: this.appId, ...payment, action }),
    });
    const text = await response.text();
    return { ...cashierResultSchema.parse(JSON.parse(text)), status: response.status };
  }

  /** Polls until `predicate` holds over the deliveries (bounded; throws with the last view). */
  async waitForDeliveries(
    predicate: (deliveries: DeliveryView[]) => boolean,
    options: { timeoutMs: number; description: string; intervalMs?: number },
  ): Promise<DeliveryView[]> {
    const deadline = Date.now() + options.timeoutMs;
    let last: DeliveryView[] = [];
    while (Date.now() < deadline) {
      last = await this.deliveries();
      if (predicate(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
    }
    throw new Error(`emulator: timed out waiting for ${options.description}; ${String(last.length)} deliveries, ${String(last.filter((d) => d.acked).length)} acked`);
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(this.url(path), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return this.checked(response, `${method} ${path}`);
  }

  private async checked(response: Response, what: string): Promise<unknown> {
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator ${what}: HTTP ${String(response.status)} ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  }
}
