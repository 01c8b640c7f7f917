import { z } from 'zod';

/** Where the BFF keeps its data in a bench run, and how many BFF processes share it. */
export type BenchBackend = 'sqlite' | 'postgres' | 'postgres-2x';

const backendNames = ['sqlite', 'postgres', 'postgres-2x'] as const;

// The only place the bench reads process.env.
const schema = z.object({
  BENCH_DURATION_S: z.coerce.number().int().min(1).max(120).default(10),
  BENCH_WARMUP_S: z.coerce.number().int().min(0).max(30).default(2),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(1024).default(64),
  BENCH_NOTIFY_ORDERS: z.coerce.number().int().min(1).max(5000).default(300),
  /** Comma-separated, run in this order; default all three. */
  BENCH_BACKENDS: z
    .string()
    .default(backendNames.join(','))
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.enum(backendNames)).min(1, 'BENCH_BACKENDS names no backend').refine((list) => new Set(list).size === list.length, 'BENCH_BACKENDS names a backend twice')),
});

export interface BenchConfig {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  notifyOrders: number;
  backends: BenchBackend[];
}

export function benchConfig(env: Readonly<Record<string, string | undefined>> = process.env): BenchConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    throw new Error(`Invalid bench settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')} (BENCH_BACKENDS takes ${backendNames.join(', ')})`);
  }
  const e = parsed.data;
  return { durationSeconds: e.BENCH_DURATION_S, warmupSeconds: e.BENCH_WARMUP_S, connections: e.BENCH_CONNECTIONS, notifyOrders: e.BENCH_NOTIFY_ORDERS, backends: e.BENCH_BACKENDS };
}
