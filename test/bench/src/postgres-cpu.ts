import { readdirSync, readFileSync } from 'node:fs';

// Linux's USER_HZ, as in process-cpu.ts.
const msPerTick = 10;

function statFields(pid: string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17 (1-based).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The postmaster listening on `port` (its command line carries `-p <port>`), or undefined. */
export function findPostmasterPid(port: number): number | undefined {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const portAt = argv.indexOf('-p');
    if (argv[0]?.endsWith('/postgres') && portAt >= 0 && argv[portAt + 1] === String(port)) return Number(pid);
  }
  return undefined;
}

/**
 * CPU ms used so far by a PostgreSQL server: the postmaster, its live children (one backend per
 * pooled connection, plus the background workers) and the children it has already reaped. The
 * database runs on the same cores as the BFF, so its share belongs in the per-request cost.
 */
export function postgresCpuMs(postmasterPid: number | undefined): number | null {
  if (postmasterPid === undefined) return null;
  const own = statFields(String(postmasterPid));
  if (own === null) return null;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const fields = statFields(pid);
    if (fields !== null && fields[1] === String(postmasterPid)) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * msPerTick;
}
