export interface PeriodicTask<T> {
  /** Starts the timer (idempotent): a pass every intervalMs, never two at once. */
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
  /** One pass now; joins a pass already running. */
  runOnce(): Promise<T>;
}

/** Runs `pass` every intervalMs after the previous one ended, until stopped; the timer never keeps the process alive. */
export function createPeriodicTask<T>(pass: () => Promise<T>, options: { intervalMs: number; onResult?: (result: T) => void; onError: (error: unknown) => void }): PeriodicTask<T> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<T> | undefined;
  let stopped = true;

  const runOnce = (): Promise<T> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .then((result) => options.onResult?.(result))
        .catch(options.onError)
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    runOnce,
  };
}
