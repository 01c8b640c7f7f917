import type { BffMetrics } from './bff-metrics';

export interface HttpRequestObservation {
  method: string;
  /** The route template (`/api/orders/:id`), never the raw path: raw ids would explode cardinality. */
  route: string;
  status: number;
  durationSeconds: number;
}

/** Framework-free so the Koa middleware is three lines and tests need no server. */
export function observeHttpRequest(metrics: Pick<BffMetrics, 'httpRequests' | 'httpRequestDuration'>, o: HttpRequestObservation): void {
  const labels = { method: o.method, route: o.route, status: String(o.status) };
  metrics.httpRequests.inc(labels);
  metrics.httpRequestDuration.observe(labels, o.durationSeconds);
}
