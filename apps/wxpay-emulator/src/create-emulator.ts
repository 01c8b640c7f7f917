import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { devMerchant } from '@checkout/protocol/testing';
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
import { EmulatorStore } from './state/store';

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  server: Server;
  /** Stops notifications, then the server (open connections are closed). */
  close: () => Promise<void>;
}

export interface Emulator {
  /** The un-listened Koa app (use `app.callback()` to mount it elsewhere). */
  app: Koa;
  control: EmulatorControl;
  listen: (port?: number, host?: string) => Promise<RunningEmulator>;
  /** Stops pending notification retries (listen's close does this too). */
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
  const lifecycle = new OrderLifecycle(store, clock, { paid: (order) => notifier.paid(order), failed: (order) => notifier.failed(order) });
  const faults = new FaultInjector(options.random ?? Math.random);
  const deps: EmulatorDeps = {
    store,
    clock,
    merchants,
    lifecycle,
    faults,
    notifier,
    loginLimiter: new RateLimiter(clock, options.jscode2sessionPerMinute ?? 600, 60_000),
    govSyncLimiter: new RateLimiter(clock, options.govSyncPerSecond ?? 100, 1000),
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    log,
  };
  const control = createControl(deps, {
    onReset() {
      notifier.stopAll();
      faults.clear();
      deps.loginLimiter.reset();
      deps.govSyncLimiter.reset();
    },
  });

  const app = new Koa();
  app.silent = true;
  app.use(errorHandler(log));
  for (const router of [
    payRoutes(deps),
    jscode2sessionRoutes(deps),
    govSyncRoutes(deps, { signTest: () => notifier.currentOptions().signTest === true }),
    cashierRoutes(deps),
    controlRoutes(deps, control),
  ]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }

  return {
    app,
    control,
    stop: () => notifier.stopAll(),
    listen(port = 0, host = '127.0.0.1') {
      const server = createServer(app.callback());
      // Malformed HTTP gets a 400 from Node itself; never let it surface as an exception.
      server.on('clientError', (_error, socket) => {
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        else socket.destroy();
      });
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({
            url: `http://${urlHost}:${address.port}`,
            port: address.port,
            server,
            close: () =>
              new Promise<void>((done) => {
                notifier.stopAll();
                server.close(() => done());
                // Drain: idle keep-alive sockets now, requests still running get a moment to finish.
                server.closeIdleConnections();
                setTimeout(() => server.closeAllConnections(), 1000).unref();
              }),
          });
        });
      });
    },
  };
}
