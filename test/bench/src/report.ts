import type { LoadResult } from './load';
import type { MachineInfo } from './machine';
import type { CpuPerRequest } from './measure';

/** A comparison with another row of the same run: "52.1 % of same-I/O", "1.62x tenpay", "0.97x empty DB". */
export interface Comparison {
  ratio: number;
  against: string;
  style: 'percent' | 'times';
}

export interface ScenarioRow {
  result: LoadResult;
  /** Which path one request takes (short; the README explains each). */
  what: string;
  /** req/s ÷ the bare Koa route's req/s (mean of the runs before and after). */
  vsBare: number | null;
  comparisons: Comparison[];
  target: string;
  met: boolean | null;
  cpu: CpuPerRequest;
}

const fixed = (n: number, digits = 1): string => n.toFixed(digits);
const showComparison = (c: Comparison): string => (c.style === 'percent' ? `${fixed(c.ratio * 100)} % of ${c.against}` : `${fixed(c.ratio, 2)}x ${c.against}`);

export function markdownTable(rows: readonly ScenarioRow[], machine: MachineInfo, note: string): string {
  const lines = [
    '| scenario | path | req/s | p50 ms | p99 ms | vs bare Koa | vs same-run baselines | target | met | non-2xx / errors | server CPU ms/req | emulator CPU ms/req | PostgreSQL CPU ms/req |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...rows
      .map(({ result, what, vsBare, comparisons, target, met, cpu }) =>
        [
          result.name,
          what,
          fixed(result.requestsPerSecond, 0),
          fixed(result.latencyP50Ms),
          fixed(result.latencyP99Ms),
          vsBare === null ? '—' : `${fixed(vsBare * 100)} %`,
          comparisons.length === 0 ? '—' : comparisons.map(showComparison).join('; '),
          target,
          met === null ? '—' : met ? 'yes' : '**no**',
          `${String(result.non2xx + result.mismatches)} / ${String(result.errors + result.timeouts)}`,
          cpu.serverMs === null ? '—' : `${fixed(cpu.serverMs, 3)}${cpu.perServerMs.length > 1 ? ` (${cpu.perServerMs.map((ms) => (ms === null ? '?' : fixed(ms, 3))).join(' + ')})` : ''}`,
          cpu.emulatorMs === null ? '—' : fixed(cpu.emulatorMs, 3),
          cpu.databaseMs === null ? '—' : fixed(cpu.databaseMs, 3),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    `Machine: ${machine.cpu}, ${String(machine.cores)} cores, ${String(machine.memoryGiB)} GiB, ${machine.os}, Node ${machine.node}, load average ${String(machine.loadAverage1m)} at start. ${note}`,
  ];
  return lines.join('\n');
}
