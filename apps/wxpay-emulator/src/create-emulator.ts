import { createServer, type Server } from 'node:http';
import { createServer as createSecureServer, type Server as SecureServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import Koa from 'koa';
import { devMerchant } from '@checkout/protocol/testing';
import { BillFaults } from './bill/bill-faults';
import { DEFAULT_BILL_READY_HOUR_BEIJING } from './bill/bill-day';
import { AccessTokens } from './state/access-tokens';
import { accessTokenRoutes } from './routes/access-token-routes';
import { billRoutes } from './routes/bill-routes';
import { MessagePusher } from './notify/message-push';
import { ShippingLedger } from './state/shipping';
import { shippingRoutes } from './routes/shipping-routes';
import { cashierRoutes } from './routes/cashier-routes';
import { createClock } from './state/clock';
import { createControl } from './control';
import { controlRoutes } from './routes/control-routes';
import type { EmulatorDeps } from './emulator-deps';
import type { EmulatorControl, EmulatorOptions } from './emulator-types';
import { errorHandler } from './routes/error-handler';
import { FaultInjector } from './faults/faults';
import { govSyncRoutes } from './routes/gov-sync-routes';
import { jscode2sessionRoutes } from './routes/jscode2session-routes';
import { createMerchantRegistry } from './state/merchant-registry';
import { NOTIFY_ANSWER_TIMEOUT_MS, Notifier } from './notify/notifier';
import { OrderLifecycle } from './state/order-lifecycle';
import { payRoutes } from './routes/pay-routes';
import { RateLimiter } from './state/rate-limiter';
import { httpsServerOptions } from './tls/https-server-options';
import { REFUND_MIN_INTERVAL_MS, RefundLifecycle } from './state/refund-lifecycle';
import { refundRoutes } from './routes/refund-routes';
import { EmulatorStore } from './state/store';

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  server: Server;
  /** The HTTPS listener (same routes; dev server certificate; asks for client certificates), e.g. `https://127.0.0.1:41235`. */
  secureUrl: string;
  securePort: number;
  secureServer: SecureServer;
  /** Stops notifications and refund settlements, then both servers (open connections are closed). */
  close: () => Promise<void>;
}

export interface ListenOptions {
  /** Port of the HTTPS listener; default 0 (random). */
  securePort?: number;
}

export interface Emulator {
  /** The un-listened Koa app (use `app.callback()` to mount it elsewhere). */
  app: Koa;
  control: EmulatorControl;
  listen: (port?: number, host?: string, options?: ListenOptions) => Promise<RunningEmulator>;
  /** Stops pending notification retries and refund settlements (listen's close does this too). */
  stop: () => void;
}

const DEFAULT_BODY_LIMIT = 64 * 1024;

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const log = options.logger ?? (() => undefined);
  const clock = createClock({ startTime: options.startTime, frozen: options.frozenClock });
  const store = new EmulatorStore();
  const merchants = createMerchantRegistry(options.merchants ?? [devMerchant]);
  const timeScale = options.notifyTimeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale < 0) throw new RangeError(`notifyTimeScale must be ≥ 0, got ${String(timeScale)}`);
  const notifier = new Notifier({
    store,
    clock,
    merchants,
    timeScale,
    timeoutMs: options.notifyTimeoutMs ?? Math.max(NOTIFY_ANSWER_TIMEOUT_MS * timeScale, 1000),
    options: options.notifyOptions ?? {},
    log,
  });
  const refunds = new RefundLifecycle(store, clock, { outcome: (refund) => notifier.refundOutcome(refund) }, {
    settleMs: options.refundSettleMs ?? 1000 * timeScale,
    minIntervalMs: options.refundMinIntervalMs ?? REFUND_MIN_INTERVAL_MS,
  });
  const lifecycle = new OrderLifecycle(store, clock, { paid: (order) => notifier.paid(order), failed: (order) => notifier.failed(order) });
  const faults = new FaultInjector(options.random ?? Math.random);
  const billReadyHourBeijing = options.billReadyHourBeijing ?? DEFAULT_BILL_READY_HOUR_BEIJING;
  if (!Number.isInteger(billReadyHourBeijing) || billReadyHourBeijing < 0 || billReadyHourBeijing > 23) {
    throw new RangeError(`billReadyHourBeijing must be an integer hour 0-23, got ${String(billReadyHourBeijing)}`);
  }
  const deps: EmulatorDeps = {
    store,
    clock,
    merchants,
    lifecycle,
    refunds,
    faults,
    notifier,
    loginLimiter: new RateLimiter(clock, options.jscode2sessionPerMinute ?? 600, 60_000),
    govSyncLimiter: new RateLimiter(clock, options.govSyncPerSecond ?? 100, 1000),
    billFaults: new BillFaults(),
    tokens: new AccessTokens(clock),
    shipping: new ShippingLedger(store, clock),
    messagePush: new MessagePusher(clock, options.messagePush, log),
    billReadyHourBeijing,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    log,
  };
  const control = createControl(deps, {
    onReset() {
      notifier.stopAll();
      refunds.reset();
      faults.clear();
      deps.loginLimiter.reset();
      deps.govSyncLimiter.reset();
      deps.tokens.reset();
      deps.shipping.reset();
      deps.messagePush.reset();
    },
  });

  const app = new Koa();
  app.silent = true;
  app.use(errorHandler(log));
  for (const router of [
    payRoutes(deps),
    refundRoutes(deps),
    billRoutes(deps),
    jscode2sessionRoutes(deps),
    accessTokenRoutes(deps),
    shippingRoutes(deps),
    govSyncRoutes(deps, { signTest: () => notifier.currentOptions().signTest === true }),
    cashierRoutes(deps),
    controlRoutes(deps, control),
  ]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }

  const stop = (): void => {
    notifier.stopAll();
    refunds.stopAll();
  };

  return {
    app,
    control,
    stop,
    async listen(port = 0, host = '127.0.0.1', listenOptions = {}) {
      const server = createServer(app.callback());
      const secureServer = createSecureServer(httpsServerOptions(merchants.all()), app.callback());
      // Malformed HTTP gets a 400 from Node itself; never let it surface as an exception.
      const badRequest = (_error: unknown, socket: Socket): void => {
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        else socket.destroy();
      };
      server.on('clientError', badRequest);
      secureServer.on('clientError', badRequest);
      // A failed TLS handshake (untrusted server certificate on the client side, plain HTTP to the TLS port) only ends that connection.
      secureServer.on('tlsClientError', (_error, socket) => socket.destroy());
      const address = await listenOn(server, port, host);
      let secureAddress: AddressInfo;
      try {
        secureAddress = await listenOn(secureServer, listenOptions.securePort ?? 0, host);
      } catch (error) {
        server.close();
        throw error;
      }
      const closeServer = (s: Server | SecureServer): Promise<void> =>
        new Promise<void>((done) => {
          s.close(() => done());
          // Drain: idle keep-alive sockets now, requests still running get a moment to finish.
          s.closeIdleConnections();
          setTimeout(() => s.closeAllConnections(), 1000).unref();
        });
      return {
        url: `http://${urlHost(address)}:${address.port}`,
        port: address.port,
        server,
        secureUrl: `https://${urlHost(secureAddress)}:${secureAddress.port}`,
        securePort: secureAddress.port,
        secureServer,
        close: async () => {
          stop();
          await Promise.all([closeServer(server), closeServer(secureServer)]);
        },
      };
    },
  };
}

function listenOn(server: Server | SecureServer, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
