import { createHash, randomInt } from 'node:crypto';
import type { EmulatorClock } from '../state/clock';

/** Where mini-program 消息推送 goes: the URL and Token set on the mini-program's admin page. */
export interface MessagePushTarget {
  url: string;
  token: string;
}

/** One push attempt, as the control API shows it. */
export interface MessagePushDelivery {
  id: number;
  event: string;
  transactionId?: string;
  /** ISO 8601, emulator clock. */
  at: string;
  url: string;
  /** The JSON sent. */
  requestBody: string;
  status: number | null;
  /** The answer (truncated to 2 KiB). */
  body: string;
  /** The receiver answered `success` (or an empty body, which WeChat also accepts). */
  acked: boolean;
  error?: string;
}

/** The push signature: sha1 of token, timestamp and nonce sorted as strings and joined. */
export function messagePushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join(''), 'utf8').digest('hex');
}

/** How long a receiver may take (WeChat: 5 s). */
const PUSH_TIMEOUT_MS = 5000;
const MAX_PUSHES = 1000;

/**
 * Sends mini-program message pushes in plaintext mode with the JSON data format:
 * `POST {url}?signature=…&timestamp=…&nonce=…`, body JSON. One attempt per event (no retries).
 */
export class MessagePusher {
  private target: MessagePushTarget | undefined;
  readonly deliveries: MessagePushDelivery[] = [];
  private nextId = 1;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly initial: MessagePushTarget | undefined,
    private readonly log: (line: Record<string, unknown>) => void,
  ) {
    this.target = initial;
  }

  configure(target: MessagePushTarget | undefined): void {
    this.target = target;
  }

  current(): { url: string } | undefined {
    return this.target === undefined ? undefined : { url: this.target.url };
  }

  /**
   * The URL check WeChat runs when the push URL is saved: `GET url?signature&timestamp&nonce&echostr`;
   * the receiver must answer the echostr as is.
   */
  async verify(target: MessagePushTarget): Promise<{ ok: true } | { ok: false; reason: string }> {
    const timestamp = String(this.clock.nowSeconds());
    const nonce = String(randomInt(1_000_000_000, 2_000_000_000));
    const echostr = String(randomInt(1_000_000_000, 2_000_000_000)) + String(randomInt(1_000_000_000, 2_000_000_000));
    const url = new URL(target.url);
    url.searchParams.set('signature', messagePushSignature(target.token, timestamp, nonce));
    url.searchParams.set('echostr', echostr);
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', nonce);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) });
      const text = await response.text();
      if (response.status === 200 && text === echostr) return { ok: true };
      return { ok: false, reason: `the URL answered HTTP ${response.status} ${JSON.stringify(text.slice(0, 200))}, not the echostr ${echostr}` };
    } catch (error) {
      return { ok: false, reason: `the URL did not answer: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Sends `event` (fields besides ToUserName, FromUserName, CreateTime, MsgType) if a target is set. */
  push(fields: { ToUserName: string; FromUserName: string; Event: string } & Record<string, unknown>): Promise<void> {
    const target = this.target;
    if (target === undefined) return Promise.resolve();
    const timestamp = String(this.clock.nowSeconds());
    const nonce = String(randomInt(1_000_000_000, 2_000_000_000));
    const signature = messagePushSignature(target.token, timestamp, nonce);
    const url = new URL(target.url);
    url.searchParams.set('signature', signature);
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', nonce);
    const { ToUserName, FromUserName, Event, ...rest } = fields;
    const requestBody = JSON.stringify({ ToUserName, FromUserName, CreateTime: Number(timestamp), MsgType: 'event', Event, ...rest });
    const delivery: MessagePushDelivery = {
      id: this.nextId++,
      event: Event,
      ...(typeof rest.transaction_id === 'string' ? { transactionId: rest.transaction_id } : {}),
      at: this.clock.now().toISOString(),
      url: target.url,
      requestBody,
      status: null,
      body: '',
      acked: false,
    };
    const send = (async () => {
      try {
        const response = await fetch(url, { method: 'POST', body: requestBody, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) });
        const text = (await response.text()).slice(0, 2048);
        delivery.status = response.status;
        delivery.body = text;
        delivery.acked = response.status === 200 && (text.trim() === 'success' || text.trim() === '');
      } catch (error) {
        delivery.error = error instanceof Error ? error.message : String(error);
      }
      this.deliveries.push(delivery);
      if (this.deliveries.length > MAX_PUSHES) this.deliveries.splice(0, this.deliveries.length - MAX_PUSHES);
      this.log({ msg: 'message push', event: Event, status: delivery.status, acked: delivery.acked });
    })();
    this.pending.add(send);
    void send.finally(() => this.pending.delete(send));
    return send;
  }

  /** Resolves when every push under way has finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  reset(): void {
    this.deliveries.length = 0;
    this.target = this.initial;
  }
}
