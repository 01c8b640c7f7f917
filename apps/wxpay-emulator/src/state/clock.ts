/**
 * The emulator's injectable clock: starts at `startTime`, moves with real time (unless frozen)
 * and jumps forward with `advance` so tests can expire prepay_ids or pass the closeorder floor.
 */
export interface EmulatorClock {
  now(): Date;
  nowMs(): number;
  nowSeconds(): number;
  advance(ms: number): Date;
}

export function createClock(options: { startTime?: Date; frozen?: boolean } = {}): EmulatorClock {
  const realStart = Date.now();
  const start = options.startTime?.getTime() ?? realStart;
  let offset = 0;
  const nowMs = (): number => start + offset + (options.frozen === true ? 0 : Date.now() - realStart);
  return {
    nowMs,
    now: () => new Date(nowMs()),
    nowSeconds: () => Math.floor(nowMs() / 1000),
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceClock needs a non-negative number of ms, got ${String(ms)}`);
      offset += ms;
      return new Date(nowMs());
    },
  };
}
