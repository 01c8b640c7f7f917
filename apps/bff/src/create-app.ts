import Koa from 'koa';
import type { Logger } from 'pino';
import type { CheckoutDeps } from './domain/checkout-deps';
import type { NotificationVerifier } from './domain/payment-gateway';
import type { AppState } from './http/app-state';
import { cors } from './http/middleware/cors';
import { errorHandler } from './http/middleware/error-handler';
import { rateLimit } from './http/middleware/rate-limit';
import { requestId } from './http/middleware/request-id';
import { requestLogger } from './http/middleware/request-logger';
import { healthRouter } from './http/routers/health-router';
import { notifyRouter } from './http/routers/notify-router';
import { orderRouter } from './http/routers/order-router';
import { productRouter } from './http/routers/product-router';
import { sessionRouter } from './http/routers/session-router';

export interface AppDeps {
  checkout: CheckoutDeps;
  verifier: NotificationVerifier;
  logger: Logger;
  /** Readiness probe (database reachable). */
  ready: () => Promise<boolean>;
  http: {
    corsOrigins: readonly string[];
    rateLimit: { windowMs: number; max: number };
    jsonLimitBytes: number;
    notifyLimitBytes: number;
    /** Trust X-Forwarded-* (behind a reverse proxy), so rate limits see client IPs. */
    trustProxy: boolean;
  };
}

/** The Koa app, not listening: tests use app.callback(), main.ts/startBff listen. */
export function createApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: deps.http.trustProxy });
  app.silent = true; // errorHandler logs; Koa's default stderr printing would bypass redaction

  app.use(errorHandler(deps.logger));
  app.use(requestId());
  app.use(requestLogger(deps.logger));
  app.use(cors({ origins: deps.http.corsOrigins }));
  app.use(rateLimit({ ...deps.http.rateLimit, pathPrefix: '/api/' }));

  const routers = [
    healthRouter({ ready: deps.ready }),
    sessionRouter({ checkout: deps.checkout, jsonLimitBytes: deps.http.jsonLimitBytes }),
    productRouter({ checkout: deps.checkout }),
    orderRouter({ checkout: deps.checkout, jsonLimitBytes: deps.http.jsonLimitBytes }),
    notifyRouter({ checkout: deps.checkout, verifier: deps.verifier, notifyLimitBytes: deps.http.notifyLimitBytes }),
  ];
  for (const router of routers) app.use(router.routes());
  return app;
}
