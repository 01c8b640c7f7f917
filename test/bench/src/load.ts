import autocannon from 'autocannon';

export interface LoadSpec {
  name: string;
  /**
   * Targets. Several: autocannon gives connection i to urls[i % n] (an even split of the
   * connections, not of the requests: a faster instance answers more) and keeps one latency
   * histogram and one request count over all of them.
   */
  urls: readonly string[];
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** One body per request, cycled (autocannon's setupRequest). */
  bodies?: readonly string[];
  /** Per-request header values, cycled (e.g. bearer tokens). */
  cycleHeader?: { name: string; values: readonly string[] };
  /** Counts answers whose body differs (autocannon `mismatches`). */
  expectBody?: string;
  connections: number;
  durationSeconds: number;
  /**
   * Sized by requests instead of time: exactly this many requests (durationSeconds is then only
   * an upper bound), so a run of first deliveries never runs out of pending orders.
   */
  amount?: number;
}

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  connections: number;
  durationSeconds: number;
}

/** One bounded autocannon run: fixed duration and connection count, loopback only. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let n = 0;
  // autocannon refuses expectBody together with requests: compare in onResponse instead.
  let mismatches = 0;
  // A run sized by requests ends at autocannon's next 1-second tick, so its own duration is
  // rounded up to whole seconds (5 000 requests done in 2.2 s report 3 s): time it here instead.
  const startedAt = performance.now();
  let lastResponseAt = startedAt;
  const [first] = spec.urls;
  if (first === undefined) throw new Error(`${spec.name}: no target URL`);
  const result = await autocannon({
    // autocannon accepts an array of URLs (its README: "more than one URL is allowed"); its
    // type declarations only know a string.
    url: spec.urls.length === 1 ? first : (spec.urls as unknown as string),
    connections: spec.connections,
    ...(spec.amount === undefined ? { duration: spec.durationSeconds } : { amount: spec.amount }),
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers: spec.headers ?? {},
        setupRequest: (request) => {
          const i = n++;
          const next = { ...request };
          if (spec.bodies && spec.bodies.length > 0) next.body = spec.bodies[i % spec.bodies.length];
          if (spec.cycleHeader) next.headers = { ...request.headers, [spec.cycleHeader.name]: spec.cycleHeader.values[i % spec.cycleHeader.values.length] ?? '' };
          return next;
        },
        // Only when needed: a response callback makes autocannon collect every body.
        ...(spec.expectBody === undefined && spec.amount === undefined
          ? {}
          : {
              onResponse: (_status: number, body: string) => {
                lastResponseAt = performance.now();
                if (spec.expectBody !== undefined && body !== spec.expectBody) mismatches += 1;
              },
            }),
      },
    ],
  });
  const elapsedSeconds = (lastResponseAt - startedAt) / 1000;
  return {
    name: spec.name,
    // A run sized by requests ends mid-second: count over its elapsed time, not per-second samples.
    requestsPerSecond: spec.amount === undefined ? result.requests.average : result.requests.total / elapsedSeconds,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches,
    connections: spec.connections,
    durationSeconds: spec.amount === undefined ? spec.durationSeconds : elapsedSeconds,
  };
}
