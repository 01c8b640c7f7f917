import { readFileSync } from 'node:fs';

// Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on every mainstream kernel.
const msPerTick = 10;

/**
 * CPU time (user + system) a process has used so far, in ms, or null where /proc is missing.
 * CPU per request stays comparable on a machine shared with other jobs, where req/s does not.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14 and stime 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * msPerTick;
  } catch {
    return null;
  }
}
