import type { LoadResult } from './load';
import type { MachineInfo } from './machine';

export interface ScenarioRow {
  result: LoadResult;
  what: string;
  /** req/s ÷ the bare Koa route's req/s (mean of the runs before and after). */
  ratio: number | null;
  target: string;
  met: boolean | null;
  /**
   * CPU ms per request of the server under test (all its BFF processes together), of the emulator
   * and of the PostgreSQL server (postmaster and backends) (null: not measured / not there).
   */
  cpu: { serverMs: number | null; emulatorMs: number | null; databaseMs: number | null; perServerMs: (number | null)[] };
}

const fixed = (n: number, digits = 1): string => n.toFixed(digits);

export function markdownTable(rows: readonly ScenarioRow[], machine: MachineInfo, note: string): string {
  const lines = [
    '| scenario | what one request does | req/s | p50 ms | p99 ms | vs bare Koa | target | met | non-2xx / errors | server CPU ms/req | emulator CPU ms/req | PostgreSQL CPU ms/req |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |',
    ...rows.map(({ result, what, ratio, target, met, cpu }) =>
      [
        result.name,
        what,
        fixed(result.requestsPerSecond, 0),
        fixed(result.latencyP50Ms),
        fixed(result.latencyP99Ms),
        ratio === null ? '—' : `${fixed(ratio * 100)} %`,
        target,
        met === null ? '—' : met ? 'yes' : '**no**',
        `${String(result.non2xx + result.mismatches)} / ${String(result.errors)}`,
        cpu.serverMs === null ? '—' : fixed(cpu.serverMs, 3),
        cpu.emulatorMs === null ? '—' : fixed(cpu.emulatorMs, 3),
        cpu.databaseMs === null ? '—' : fixed(cpu.databaseMs, 3),
      ].join(' | '),
    ).map((row) => `| ${row} |`),
    '',
    `Machine: ${machine.cpu}, ${String(machine.cores)} cores, ${String(machine.memoryGiB)} GiB, ${machine.os}, Node ${machine.node}, load average ${String(machine.loadAverage1m)} at start. ${note}`,
  ];
  return lines.join('\n');
}
