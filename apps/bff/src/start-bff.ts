import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './create-app';
import type { WiringOverrides } from './create-checkout-deps';
import { createCheckoutDeps } from './create-checkout-deps';
import { createLogger } from './create-logger';
import type { DatabaseHandle } from './db/create-database';
import { createDatabase } from './db/create-database';
import { migrateToLatest } from './db/migrate';
import { seedCatalog } from './db/seed-catalog';
import type { CheckoutDeps } from './domain/checkout-deps';
import type { BffConfig } from './env';
import { assertSafeConfig } from './env';
import type { AppState } from './http/app-state';
import type { Sweeper } from './sweeper';
import { createSweeper } from './sweeper';

export interface StartBffOptions extends WiringOverrides {
  /** Where pino writes (default stdout). Tests pass a stream to capture and inspect logs. */
  logDestination?: DestinationStream;
  /** Use this logger instead of creating one. */
  logger?: Logger;
  /** Skip seeding the demo catalog (default: seed missing products). */
  seed?: boolean;
}

export interface RunningBff {
  /** http://host:port actually bound (port 0 resolved). */
  url: string;
  /** notify_url given to WeChat Pay. */
  notifyUrl: string;
  server: Server;
  app: Koa<AppState>;
  database: DatabaseHandle;
  deps: CheckoutDeps;
  sweeper: Sweeper;
  logger: Logger;
  /** Graceful stop: no new connections, drain requests (bounded by shutdownTimeoutMs), stop the sweeper, close the DB. */
  close(): Promise<void>;
}

/**
 * A complete BFF in this process: database (migrated, seeded), WeChat Pay adapters, HTTP server
 * on config.host:config.port (0 = random), sweeper when enabled. Used by main.ts and test suites.
 */
export async function startBff(config: BffConfig, options: StartBffOptions = {}): Promise<RunningBff> {
  assertSafeConfig(config);
  const logger = options.logger ?? createLogger({ level: config.logLevel, ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const database = createDatabase(config.database, {
    onPoolError: (error) => logger.warn({ code: error.code ?? 'UNKNOWN' }, 'database connection lost; reconnecting'),
  });
  const server = createServer();
  try {
    await migrateToLatest(database.db);
    if (options.seed !== false) await seedCatalog(database.db);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    server.close();
    await database.close();
    throw error;
  }

  const url = boundUrl(server, config.host);
  const notifyUrl = config.notifyUrl ?? `${url}/wxpay/notify`;
  const { checkout, gateway } = createCheckoutDeps(config, database.db, logger, notifyUrl, options);
  const app = createApp({
    checkout,
    verifier: gateway,
    logger,
    ready: () => database.ping(),
    http: {
      corsOrigins: config.cors.origins,
      rateLimit: config.rateLimit,
      jsonLimitBytes: config.bodyLimits.jsonBytes,
      notifyLimitBytes: config.bodyLimits.notifyBytes,
      trustProxy: config.trustProxy,
    },
  });
  server.on('request', app.callback());

  const sweeper = createSweeper(checkout, { ...config.sweeper });
  if (config.sweeper.enabled) sweeper.start();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await drained;
      clearTimeout(deadline);
      await sweeper.stop();
      await database.close();
    })();
    return closing;
  };

  return { url, notifyUrl, server, app, database, deps: checkout, sweeper, logger, close };
}

function boundUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  // A wildcard bind is reachable on loopback; IPv6 literals need brackets.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
