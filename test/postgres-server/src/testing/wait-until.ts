import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` until it holds. For effects of another process (a watchdog cleaning up) that
 * have no event to await; `limitMs` is a hang guard, not a performance assertion.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await sleep(50);
  }
}
