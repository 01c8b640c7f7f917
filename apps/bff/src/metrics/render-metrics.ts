import type { Registry } from 'prom-client';

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/** The Prometheus text exposition of a registry; the HTTP layer only copies it to the response. */
export async function renderMetrics(registry: Registry): Promise<RenderedMetrics> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
