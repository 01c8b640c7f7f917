import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createEmulator } from '@checkout/wxpay-emulator';
import type { Emulator, EmulatorOptions, RunningEmulator } from '@checkout/wxpay-emulator';
import type { BffEnv } from '../src/env';
import { loadConfig } from '../src/env';
import type { RunningBff, StartBffOptions } from '../src/composition/start-bff';
import { startBff } from '../src/composition/start-bff';
import type { WxPayCallEvent } from '../src/adapters/wxpay-call-event';
import { apiRoutes, type OrderPaymentResponse } from '@checkout/protocol/contract';
import { devMerchant } from '@checkout/protocol/testing';

/** One request as the emulator received it (through a spy around the real fetch). */
export interface SentRequest {
  url: string;
  body: string;
}

export interface TestStack {
  emulator: Emulator;
  emulatorServer: RunningEmulator;
  bff: RunningBff;
  /** Every pino line the BFF wrote, raw. */
  logLines: string[];
  wxpayCalls: WxPayCallEvent[];
  sent: SentRequest[];
  api(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  login(openid?: string): Promise<string>;
  /** Creates an order as `token` and pays it at the emulator's cashier; resolves once the notification was acked. */
  createAndPay(token: string, body: unknown): Promise<OrderPaymentResponse>;
  /** Graceful stop of the BFF (as on SIGTERM) and a new one on the same SQLite file; `stack.bff` is the new one. */
  restartBff(env?: BffEnv): Promise<RunningBff>;
  close(): Promise<void>;
}

/**
 * A real emulator on port 0 and a real BFF (temp SQLite file, port 0) sharing the emulator's
 * clock, so advanceClock moves both. Sweeper off: tests run it with bff.sweeper.runOnce().
 */
export async function startTestStack(env: BffEnv = {}, options: StartBffOptions = {}, emulatorOptions: EmulatorOptions = {}): Promise<TestStack> {
  const dir = mkdtempSync(join(tmpdir(), 'bff-test-'));
  // Retries in milliseconds, but a generous answer timeout: on a loaded CI machine a correct ack
  // can take over a second, and counting it as failed would only add noise.
  const emulator = createEmulator({ notifyTimeScale: 0.001, notifyTimeoutMs: 30_000, ...emulatorOptions });
  const emulatorServer = await emulator.listen(0, '127.0.0.1');
  const logLines: string[] = [];
  const wxpayCalls: WxPayCallEvent[] = [];
  const sent: SentRequest[] = [];
  const spyFetch: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    sent.push({ url, body: typeof init?.body === 'string' ? init.body : '' });
    return fetch(input, init);
  };
  const baseEnv: BffEnv = {
    PORT: '0',
    SQLITE_PATH: join(dir, 'bff.sqlite'),
    WXPAY_MCH_BASE_URL: emulatorServer.url,
    WXPAY_SECAPI_BASE_URL: emulatorServer.secureUrl,
    WXPAY_API_BASE_URL: emulatorServer.url,
    WXPAY_RETRY_BASE_MS: '5',
    WXPAY_TIMEOUT_MS: '3000',
    SWEEPER_ENABLED: '0',
    RECONCILIATION_ENABLED: '0',
    LOG_LEVEL: 'info',
    ...env,
  };
  const bffOptions: StartBffOptions = {
    clock: { now: () => emulator.control.now() },
    fetch: spyFetch,
    wxpayObserver: (event) => wxpayCalls.push(event),
    logDestination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
    ...options,
  };
  const bff = await startBff(loadConfig(baseEnv), bffOptions);

  const api: TestStack['api'] = (path, init = {}) => {
    const { token, json, headers, ...rest } = init;
    const merged = new Headers(headers);
    if (token) merged.set('authorization', `Bearer ${token}`);
    if (json !== undefined) merged.set('content-type', 'application/json');
    return fetch(`${stack.bff.url}${path}`, { ...rest, headers: merged, ...(json !== undefined ? { body: JSON.stringify(json), method: rest.method ?? 'POST' } : {}) });
  };

  const stack: TestStack = {
    emulator,
    emulatorServer,
    bff,
    logLines,
    wxpayCalls,
    sent,
    api,
    async login(openid) {
      const code = emulator.control.issueLoginCode(openid ? { openid } : {});
      const response = await api(apiRoutes.createSession.path, { json: { code } });
      if (response.status !== apiRoutes.createSession.status) throw new Error(`login failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    },
    async createAndPay(token, body) {
      const response = await api(apiRoutes.createOrder.path, { token, json: body });
      if (response.status !== apiRoutes.createOrder.status) throw new Error(`create order failed: ${response.status} ${await response.text()}`);
      const created = apiRoutes.createOrder.response.parse(await response.json());
      const paid = await emulator.control.cashier({ appId: devMerchant.appId, ...created.payment }, 'pay');
      if (paid.errMsg !== 'requestPayment:ok') throw new Error(`cashier refused: ${paid.errMsg}`);
      await emulator.control.waitForDeliveries((d) => d.outTradeNo === created.order.outTradeNo && d.acked, 10_000);
      return created;
    },
    async restartBff(overrides = {}) {
      await stack.bff.close();
      stack.bff = await startBff(loadConfig({ ...baseEnv, ...overrides }), bffOptions);
      return stack.bff;
    },
    async close() {
      await stack.bff.close();
      await emulatorServer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
