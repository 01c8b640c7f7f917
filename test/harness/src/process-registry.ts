import type { ChildProcess } from 'node:child_process';

// Every child the harness starts, until it exits. Killed synchronously when the test process exits
// for any reason that still runs 'exit' handlers; parent-watch.mjs covers the rest.
const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

export function registerChild(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', killAll);
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Pids of children started by this process that have not exited yet. */
export function liveChildPids(): number[] {
  return [...live].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}
