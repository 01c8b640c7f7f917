import { z } from 'zod';

/** Where the BFF keeps its data in a bench run, and how many BFF processes share it. */
export type BenchBackend = 'sqlite' | 'postgres' | 'postgres-2x';

const backendNames = ['sqlite', 'postgres', 'postgres-2x'] as const;
const scaleBackendNames = ['sqlite', 'postgres'] as const;

const backendList = <T extends readonly [string, ...string[]]>(names: T, knob: string) =>
  z
    .string()
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.enum(names)).refine((list) => new Set(list).size === list.length, `${knob} names a backend twice`));

// The only place the bench reads process.env.
const schema = z.object({
  BENCH_DURATION_S: z.coerce.number().int().min(1).max(120).default(10),
  BENCH_WARMUP_S: z.coerce.number().int().min(0).max(30).default(2),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(1024).default(64),
  BENCH_NOTIFY_ORDERS: z.coerce.number().int().min(1).max(5000).default(300),
  BENCH_FIRST_DELIVERIES: z.coerce.number().int().min(100).max(1_000_000).default(5_000),
  BENCH_MIX_FIRST_DELIVERIES: z.coerce.number().int().min(100).max(1_000_000).default(2_500),
  /** Comma-separated, run in this order; default all three. */
  BENCH_BACKENDS: backendList(backendNames, 'BENCH_BACKENDS').default([...backendNames]),
  BENCH_SCALE: z.enum(['0', '1']).default('1'),
  BENCH_SCALE_BACKENDS: backendList(scaleBackendNames, 'BENCH_SCALE_BACKENDS').default([...scaleBackendNames]),
  BENCH_SCALE_ORDERS: z.coerce.number().int().min(1000).max(10_000_000).default(1_000_000),
  BENCH_SCALE_PENDING: z.coerce.number().int().min(100).max(1_000_000).default(100_000),
  BENCH_SCALE_BUYER_ORDERS: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  BENCH_BASELINES: z.enum(['0', '1']).default('1'),
  /** Diagnosis only: NORMAL shows what the synced commits cost (every SQLite server in the run uses it). */
  BENCH_SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  /** A directory: the BFF runs with --cpu-prof and writes its profiles there. */
  BENCH_PROFILE_DIR: z.string().optional(),
});

export interface BenchConfig {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** Repeat scenario: this many orders, paid during the warm-up, their notifications cycled. */
  notifyOrders: number;
  /** First-delivery scenario: measured requests, each paying its own pending order. */
  firstDeliveries: number;
  /** Mix scenario: first deliveries measured, each followed by three copies of recent payments. */
  mixFirstDeliveries: number;
  backends: BenchBackend[];
  /** The same-I/O baseline and the tenpay-built stack (off: BFF rows and the bare route only). */
  baselines: boolean;
  profileDir: string | null;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  scale: { enabled: boolean; backends: ('sqlite' | 'postgres')[]; historicalOrders: number; pendingOrders: number; buyerOrders: number };
}

export function benchConfig(env: Readonly<Record<string, string | undefined>> = process.env): BenchConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    throw new Error(`Invalid bench settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')} (BENCH_BACKENDS takes ${backendNames.join(', ')}; BENCH_SCALE_BACKENDS ${scaleBackendNames.join(', ')})`);
  }
  const e = parsed.data;
  if (e.BENCH_BACKENDS.length === 0) throw new Error('Invalid bench settings: BENCH_BACKENDS names no backend');
  return {
    durationSeconds: e.BENCH_DURATION_S,
    warmupSeconds: e.BENCH_WARMUP_S,
    connections: e.BENCH_CONNECTIONS,
    notifyOrders: e.BENCH_NOTIFY_ORDERS,
    firstDeliveries: e.BENCH_FIRST_DELIVERIES,
    mixFirstDeliveries: e.BENCH_MIX_FIRST_DELIVERIES,
    backends: e.BENCH_BACKENDS,
    baselines: e.BENCH_BASELINES === '1',
    profileDir: e.BENCH_PROFILE_DIR ?? null,
    sqliteSynchronous: e.BENCH_SQLITE_SYNCHRONOUS,
    scale: { enabled: e.BENCH_SCALE === '1', backends: e.BENCH_SCALE_BACKENDS, historicalOrders: e.BENCH_SCALE_ORDERS, pendingOrders: e.BENCH_SCALE_PENDING, buyerOrders: e.BENCH_SCALE_BUYER_ORDERS },
  };
}
