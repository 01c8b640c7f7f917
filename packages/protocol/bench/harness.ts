/*
 * A small, fair micro-benchmark harness: every contender of a case runs the same number of short
 * interleaved rounds after a warm-up (so CPU frequency drift, GC pressure and other processes hit
 * all of them alike); the median round is reported, and ratios are taken round by round. Results feed a sink so nothing is optimised
 * away. Async contenders are awaited one call at a time, as an application would.
 */

export type Op = () => unknown;

export interface Contender {
  name: string;
  fn: Op;
  /** The call returns a promise that must be awaited. */
  async?: boolean;
}

export interface Measurement {
  name: string;
  /** Median over the rounds. */
  opsPerSec: number;
  /** Per-round rates, in round order (rounds are interleaved across contenders). */
  rounds: number[];
}

export interface HarnessOptions {
  warmupMs: number;
  roundMs: number;
  rounds: number;
}

let sink = 0;

function consume(value: unknown): void {
  // Cheap data dependency on the result.
  if (typeof value === 'string') sink += value.length;
  else if (value !== null && value !== undefined) sink += 1;
}

/** The sink's value, printed so that the engine must compute it. */
export function sinkValue(): number {
  return sink;
}

async function runFor(contender: Contender, ms: number): Promise<{ ops: number; ns: number }> {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  const start = process.hrtime.bigint();
  let ops = 0;
  let now = start;
  // Batches keep the clock reads out of the measured work.
  const batch = 64;
  if (contender.async) {
    while (now < deadline) {
      for (let i = 0; i < batch; i++) consume(await contender.fn());
      ops += batch;
      now = process.hrtime.bigint();
    }
  } else {
    const fn = contender.fn;
    while (now < deadline) {
      for (let i = 0; i < batch; i++) consume(fn());
      ops += batch;
      now = process.hrtime.bigint();
    }
  }
  return { ops, ns: Number(now - start) };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export async function measure(contenders: readonly Contender[], options: HarnessOptions): Promise<Measurement[]> {
  for (const c of contenders) await runFor(c, options.warmupMs);
  const rates = contenders.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the order each round so no contender always runs right after a GC-heavy one.
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length;
      const contender = contenders[index];
      if (contender === undefined) continue;
      const { ops, ns } = await runFor(contender, options.roundMs);
      rates[index]?.push((ops * 1e9) / ns);
    }
  }
  return contenders.map((c, i) => ({ name: c.name, opsPerSec: median(rates[i] ?? []), rounds: rates[i] ?? [] }));
}

/**
 * Median over rounds of `first / max(others)` within the same round: contenders of one round ran
 * back to back, so load from other processes on a shared machine cancels out of the ratio.
 */
export function medianRatio(first: Measurement, others: readonly Measurement[]): number {
  const ratios = first.rounds.map((rate, r) => rate / Math.max(...others.map((o) => o.rounds[r] ?? 0)));
  return median(ratios);
}
