import { runLoad, type LoadResult, type LoadSpec } from './load';
import { postgresCpuMs } from './postgres-cpu';
import { processCpuMs } from './process-cpu';

/** The processes whose CPU a run is charged with. */
export interface Pids {
  servers: readonly (number | undefined)[];
  emulator: number | undefined;
  postgres: number | undefined;
}

export interface CpuPerRequest {
  /** All server-under-test processes together (every BFF instance, or the baseline's process). */
  serverMs: number | null;
  emulatorMs: number | null;
  databaseMs: number | null;
  perServerMs: (number | null)[];
}

export interface Measured {
  result: LoadResult;
  cpu: CpuPerRequest;
}

export type ScenarioSpec = Omit<LoadSpec, 'connections' | 'durationSeconds'>;

/** A warm-up before the measured run: the same spec for a time, or other bodies sent once each. */
export type Warmup = { seconds: number } | { bodies: readonly string[] };

/** CPU ms per request a group of processes used during the run (null without /proc). */
function cpuPerRequest(before: (number | null)[], after: (number | null)[], requests: number): number | null {
  if (requests === 0 || before.length === 0 || [...before, ...after].some((ms) => ms === null)) return null;
  const sum = (list: (number | null)[]) => list.reduce<number>((total, ms) => total + (ms ?? 0), 0);
  return (sum(after) - sum(before)) / requests;
}

const emulatorCpu = (pids: Pids) => (pids.emulator === undefined ? [] : [processCpuMs(pids.emulator)]);
const postgresCpu = (pids: Pids) => (pids.postgres === undefined ? [] : [postgresCpuMs(pids.postgres)]);

export const log = (message: string): void => {
  process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
};

/** A warm-up, then one measured autocannon run with the CPU each process group spent per request. */
export async function measure(spec: ScenarioSpec, pids: Pids, load: { connections: number; durationSeconds: number; warmup: Warmup | null }): Promise<Measured> {
  const { warmup } = load;
  if (warmup !== null && 'seconds' in warmup && warmup.seconds > 0) await runLoad({ ...spec, amount: undefined, connections: load.connections, durationSeconds: warmup.seconds });
  if (warmup !== null && 'bodies' in warmup && warmup.bodies.length > 0) await runLoad({ ...spec, bodies: warmup.bodies, amount: warmup.bodies.length, connections: load.connections, durationSeconds: load.durationSeconds });
  const serversBefore = pids.servers.map(processCpuMs);
  const emulatorBefore = emulatorCpu(pids);
  const postgresBefore = postgresCpu(pids);
  const result = await runLoad({ ...spec, connections: load.connections, durationSeconds: load.durationSeconds });
  const serversAfter = pids.servers.map(processCpuMs);
  const cpu = {
    serverMs: cpuPerRequest(serversBefore, serversAfter, result.total),
    // Each server process's CPU over all requests: shows how a split load landed.
    perServerMs: serversBefore.map((before, i) => cpuPerRequest([before], [serversAfter[i] ?? null], result.total)),
    emulatorMs: cpuPerRequest(emulatorBefore, emulatorCpu(pids), result.total),
    databaseMs: cpuPerRequest(postgresBefore, postgresCpu(pids), result.total),
  };
  const ms = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  log(
    `${spec.name}: ${result.requestsPerSecond.toFixed(0)} req/s (${String(result.total)} in ${result.durationSeconds.toFixed(1)} s), p50 ${String(result.latencyP50Ms)} ms, p99 ${String(result.latencyP99Ms)} ms, non-2xx ${String(result.non2xx)}, mismatches ${String(result.mismatches)}, errors ${String(result.errors)}, CPU ms/req server ${ms(cpu.serverMs)}${cpu.perServerMs.length > 1 ? ` (${cpu.perServerMs.map(ms).join(' + ')})` : ''} emulator ${ms(cpu.emulatorMs)} postgres ${ms(cpu.databaseMs)}`,
  );
  return { result, cpu };
}
