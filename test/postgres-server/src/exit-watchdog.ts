import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

// Blocks on stdin, which reaches EOF only when the owning Node process is gone for any reason
// (exit, crash, SIGKILL). Then: fast shutdown of the server, escalate, remove the temp dir.
// A zombie postmaster (our dead owner never reaped it) counts as gone.
const WATCHDOG_SCRIPT = `
read -r _ || true
alive() { [ -r "/proc/$1/stat" ] && ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$1/stat" 2>/dev/null; }
# Only signal the pid while it is still our postmaster (its command line names our data dir):
# a server that was already down may have had its pid reused by an unrelated process.
ours() { tr '\\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2/data"; }
if ours "$1" "$2"; then
  kill -INT "$1" 2>/dev/null
  n=0
  while alive "$1" && [ "$n" -lt 150 ]; do sleep 0.1; n=$((n+1)); done
  alive "$1" && ours "$1" "$2" && kill -QUIT "$1" 2>/dev/null && sleep 2
  ours "$1" "$2" && kill -KILL -- "-$1" 2>/dev/null
fi
rm -rf -- "$2"
`;

export interface ExitWatchdog {
  pid: number;
  /** Called after a normal stop: the watchdog has nothing left to do. */
  disarm(): void;
}

/**
 * Starts a detached shell that stops `serverPid` (null: no server, e.g. a data directory template)
 * and removes `dir` if this process dies first.
 */
export function startExitWatchdog(serverPid: number | null, dir: string): ExitWatchdog {
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'checkout-pg-watchdog', serverPid === null ? 'none' : String(serverPid), dir], {
    detached: true, // own process group: a Ctrl-C to our group must not kill it before it acts
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the process nor its stdin pipe may keep our event loop alive.
  child.unref();
  (child.stdin as unknown as Socket).unref();
  if (child.pid === undefined) throw new Error('could not start the PostgreSQL exit watchdog');
  const pid = child.pid;
  return {
    pid,
    disarm() {
      // Kill before closing stdin: EOF would start the cleanup we no longer want.
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      child.stdin.destroy();
    },
  };
}
