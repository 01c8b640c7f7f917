import { z } from 'zod';

// The only place the bench reads process.env.
const schema = z.object({
  BENCH_DURATION_S: z.coerce.number().int().min(1).max(120).default(10),
  BENCH_WARMUP_S: z.coerce.number().int().min(0).max(30).default(2),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(1024).default(64),
  BENCH_NOTIFY_ORDERS: z.coerce.number().int().min(1).max(5000).default(300),
});

export interface BenchConfig {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  notifyOrders: number;
}

export function benchConfig(env: Readonly<Record<string, string | undefined>> = process.env): BenchConfig {
  const e = schema.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  return { durationSeconds: e.BENCH_DURATION_S, warmupSeconds: e.BENCH_WARMUP_S, connections: e.BENCH_CONNECTIONS, notifyOrders: e.BENCH_NOTIFY_ORDERS };
}
