import { Router } from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { Logger } from 'pino';
import type { CheckoutDeps } from '../domain/checkout-deps';
import type { NotificationVerifier } from '../domain/ports/payment-gateway';
import type { AppState } from './app-state';
import type { BffMetrics } from '../metrics/bff-metrics';
import { observeHttpRequest } from '../metrics/observe-http-request';
import { adminRoutes, type AdminRouterDeps } from './routers/admin-router';
import { adminUserRoutes } from './routers/admin-user-router';
import { adminPaymentAnomalyRoutes } from './routers/admin-payment-anomaly-router';
import { metricsRoutes } from './routers/metrics-router';
import { cors } from './middleware/cors';
import { errorHandler } from './middleware/error-handler';
import { rateLimit } from './middleware/rate-limit';
import { requestId } from './middleware/request-id';
import { requestLogger } from './middleware/request-logger';
import { healthRoutes } from './routers/health-router';
import { notifyRoutes } from './routers/notify-router';
import { refundNotifyRoutes } from './routers/refund-notify-router';
import { adminRefundRoutes } from './routers/admin-refund-router';
import { adminReconciliationRoutes } from './routers/admin-reconciliation-router';
import { orderRoutes } from './routers/order-router';
import { productRoutes } from './routers/product-router';
import { productImageRoutes } from './routers/product-image-router';
import type { ProductImageFiles } from './product-image-files';
import { sessionRoutes } from './routers/session-router';
import { adminShippingRoutes, type AdminShippingDeps } from './routers/admin-shipping-router';
import { messagePushRoutes, type MessagePushDeps } from './routers/message-push-router';
import type { ShippingReader } from '../domain/shipping/shipping-reader';

export interface AppDeps {
  checkout: CheckoutDeps;
  verifier: NotificationVerifier;
  logger: Logger;
  /** Readiness probe (database reachable). */
  ready: () => Promise<boolean>;
  metrics: BffMetrics;
  /** Bearer token for GET /metrics; null = open. */
  metricsToken: string | null;
  /** The catalog's illustrations (assets/product-images), read at start-up. */
  productImages: ProductImageFiles;
  /** Merchant back-office endpoints (goods return → gov subsidy REFUND sync). */
  admin: Omit<AdminRouterDeps, 'jsonLimitBytes'>;
  /** Mini-program shipping management: buyer shipping blocks, admin shipments, message push. Absent = off. */
  shipping?: { reader: ShippingReader; admin: AdminShippingDeps; messagePush: Omit<MessagePushDeps, 'limitBytes'> };
  http: {
    corsOrigins: readonly string[];
    rateLimit: { windowMs: number; max: number };
    /** Tighter, per client IP, on POST /api/session (each login may cost WeChat quota). */
    loginRateLimit: { windowMs: number; max: number };
    jsonLimitBytes: number;
    notifyLimitBytes: number;
    /** Trust X-Forwarded-* (behind a reverse proxy), so rate limits see client IPs. */
    trustProxy: boolean;
  };
}

/** The Koa app, not listening: tests use app.callback(), main.ts/startBff listen. */
export function createApp(deps: AppDeps): Koa<AppState> {
  // Behind one trusted proxy the client IP is the entry it appended (the last); earlier
  // X-Forwarded-For entries come from the client and would let it dodge the rate limit.
  const app = new Koa<AppState>({ proxy: deps.http.trustProxy, maxIpsCount: 1 });
  app.silent = true; // errorHandler logs; Koa's default stderr printing would bypass redaction

  // Outermost so it sees the final status (after the error handler); route template, never the raw path.
  app.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      const route = typeof matched === 'string' ? matched : 'unmatched';
      observeHttpRequest(deps.metrics, { method: ctx.method, route, status: ctx.status, durationSeconds: (performance.now() - started) / 1000 });
    }
  });
  app.use(errorHandler(deps.logger));
  app.use(requestId());
  app.use(requestLogger(deps.logger));
  // CORS (for the H5 build) and the per-client rate limit concern the buyer API only; WeChat Pay's
  // notifications, health, admin and metrics skip both. Routers match case-insensitively.
  const corsForApi = cors({ origins: deps.http.corsOrigins });
  const limitApi = rateLimit(deps.http.rateLimit);
  const corsThenRateLimit: Middleware<AppState> = async (ctx, next) => {
    await corsForApi(ctx, async () => {
      await limitApi(ctx, next);
    });
  };
  app.use(async (ctx, next) => {
    if (ctx.path.toLowerCase().startsWith('/api/')) await corsThenRateLimit(ctx, next);
    else await next();
  });

  // One router for every route: a request is matched once, not once per feature.
  const router = new Router<AppState>();
  healthRoutes(router, { ready: deps.ready });
  sessionRoutes(router, { checkout: deps.checkout, jsonLimitBytes: deps.http.jsonLimitBytes, loginRateLimit: deps.http.loginRateLimit });
  productRoutes(router, { checkout: deps.checkout });
  productImageRoutes(router, { files: deps.productImages });
  orderRoutes(router, { checkout: deps.checkout, jsonLimitBytes: deps.http.jsonLimitBytes, ...(deps.shipping ? { shipping: deps.shipping.reader } : {}) });
  notifyRoutes(router, { checkout: deps.checkout, verifier: deps.verifier, notifyLimitBytes: deps.http.notifyLimitBytes, metrics: deps.metrics });
  refundNotifyRoutes(router, { checkout: deps.checkout, notifyLimitBytes: deps.http.notifyLimitBytes, metrics: deps.metrics });
  metricsRoutes(router, { metrics: deps.metrics, token: deps.metricsToken });
  adminRoutes(router, { ...deps.admin, jsonLimitBytes: deps.http.jsonLimitBytes });
  adminUserRoutes(router, { checkout: deps.checkout, token: deps.admin.token });
  adminPaymentAnomalyRoutes(router, { checkout: deps.checkout, token: deps.admin.token });
  adminRefundRoutes(router, { checkout: deps.checkout, token: deps.admin.token, jsonLimitBytes: deps.http.jsonLimitBytes });
  adminReconciliationRoutes(router, { ...deps.admin.reconciliation, token: deps.admin.token, jsonLimitBytes: deps.http.jsonLimitBytes });
  if (deps.shipping) {
    adminShippingRoutes(router, { ...deps.shipping.admin, token: deps.admin.token, jsonLimitBytes: deps.http.jsonLimitBytes });
    messagePushRoutes(router, { ...deps.shipping.messagePush, limitBytes: deps.http.notifyLimitBytes });
  }
  app.use(router.routes());
  return app;
}
