import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { registerChild } from './process-registry';

export interface ProcessSpec {
  /** Short name used in errors and log prefixes, e.g. "bff". */
  name: string;
  /** Absolute path of the entry point: a .ts file runs through tsx's loader, a .js file (a production build) runs on plain node. */
  entry: string;
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** Every output line is appended here too, so a failed run can be read after teardown. */
  logFile?: string;
  /** Extra modules preloaded with --import (file URLs), e.g. the clock shifter. */
  preloads?: readonly string[];
  /** Extra node flags, e.g. ['--cpu-prof'] (not all are allowed in NODE_OPTIONS). */
  nodeArgs?: readonly string[];
}

export interface LogLine {
  seq: number;
  stream: 'stdout' | 'stderr';
  text: string;
  /** The line parsed as a JSON object when it is one (pino logs). */
  json: Record<string, unknown> | null;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const requireHere = createRequire(import.meta.url);
const tsxLoader = pathToFileURL(requireHere.resolve('tsx')).href;
const parentWatch = new URL('./parent-watch.mjs', import.meta.url).href;

/** Environment passed to children: only what a process needs, never the test runner's own vars. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SYSTEMROOT'];
  const env: Record<string, string> = {};
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

const maxKeptLines = 50_000;

/**
 * One server program run as a real child process: `node [--import tsx] <entry>`, a single process
 * (no tsx CLI wrapper) so that kill -9 hits the server itself. Output is captured line by line.
 */
export class ManagedProcess {
  readonly lines: LogLine[] = [];
  private child: ChildProcess | null = null;
  private exitInfo: Promise<ExitInfo> | null = null;
  private seq = 0;
  private waiters = new Set<() => void>();
  private starts = 0;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Number of times start() was called (1 after the first start). */
  get startCount(): number {
    return this.starts;
  }

  start(extraEnv: Readonly<Record<string, string>> = {}): void {
    if (this.running) throw new Error(`${this.spec.name}: already running (pid ${String(this.pid)})`);
    this.starts += 1;
    const child = spawn(
      process.execPath,
      [
        ...(this.spec.nodeArgs ?? []),
        ...(this.spec.entry.endsWith('.ts') ? ['--import', tsxLoader] : []),
        '--import',
        parentWatch,
        ...(this.spec.preloads ?? []).flatMap((preload) => ['--import', preload]),
        this.spec.entry,
      ],
      {
        cwd: this.spec.cwd,
        env: { ...baseEnv(), ...this.spec.env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    registerChild(child);
    this.child = child;
    this.note('stdout', `[harness] start #${String(this.starts)} pid ${String(child.pid)}`);
    this.pipe(child, 'stdout');
    this.pipe(child, 'stderr');
    this.exitInfo = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.note('stdout', `[harness] exit code=${String(code)} signal=${String(signal)}`);
        resolve({ code, signal });
        this.wake();
      });
      child.once('error', (error) => {
        this.note('stderr', `[harness] spawn error: ${error.message}`);
        resolve({ code: null, signal: null });
        this.wake();
      });
    });
  }

  /** Resolves with the first line (from `fromSeq` on) matching; rejects on timeout or exit. */
  async waitForLine(
    predicate: (line: LogLine) => boolean,
    options: { timeoutMs: number; description: string; fromSeq?: number },
  ): Promise<LogLine> {
    const fromSeq = options.fromSeq ?? 0;
    const find = (): LogLine | undefined => this.lines.find((line) => line.seq >= fromSeq && predicate(line));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found) {
          done();
          resolve(found);
        } else if (!this.running) {
          done();
          reject(new Error(`${this.spec.name} exited while waiting for ${options.description}\n${this.tail(40)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.spec.name}: timed out after ${String(options.timeoutMs)} ms waiting for ${options.description}\n${this.tail(40)}`));
      }, options.timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sequence number the next line will get: pass it as `fromSeq` to wait only for new lines. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Sends a signal without waiting (e.g. SIGUSR2 to the clock shifter). */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) throw new Error(`${this.spec.name}: not running, cannot send ${signal}`);
    this.child?.kill(signal);
  }

  /** The crash: SIGKILL, no chance to drain, flush or commit. */
  async kill9(): Promise<ExitInfo> {
    return this.signalAndWait('SIGKILL', 10_000);
  }

  /** Graceful stop: SIGTERM, then SIGKILL if it has not exited within graceMs. */
  async stop(graceMs = 10_000): Promise<ExitInfo & { forced: boolean }> {
    if (!this.running || !this.exitInfo) return { code: null, signal: null, forced: false };
    this.child?.kill('SIGTERM');
    const exited = await Promise.race([this.exitInfo, delay(graceMs).then(() => null)]);
    if (exited) return { ...exited, forced: false };
    const killed = await this.signalAndWait('SIGKILL', 10_000);
    return { ...killed, forced: true };
  }

  async waitForExit(timeoutMs: number): Promise<ExitInfo | null> {
    if (!this.exitInfo) return null;
    return Promise.race([this.exitInfo, delay(timeoutMs).then(() => null)]);
  }

  /** The last n lines as text, for failure messages. */
  tail(n: number): string {
    return this.lines
      .slice(-n)
      .map((line) => `  ${this.spec.name}| ${line.text}`)
      .join('\n');
  }

  /** Lines parsed as JSON logs, optionally only those at or above a pino level (40 warn, 50 error). */
  jsonLogs(minLevel = 0): Record<string, unknown>[] {
    return this.lines.flatMap((line) =>
      line.json && typeof line.json.level === 'number' && line.json.level >= minLevel ? [line.json] : [],
    );
  }

  private async signalAndWait(signal: NodeJS.Signals, timeoutMs: number): Promise<ExitInfo> {
    if (!this.exitInfo) throw new Error(`${this.spec.name}: never started`);
    if (this.running) this.child?.kill(signal);
    const exited = await Promise.race([this.exitInfo, delay(timeoutMs).then(() => null)]);
    if (!exited) throw new Error(`${this.spec.name}: still running ${String(timeoutMs)} ms after ${signal}`);
    return exited;
  }

  private pipe(child: ChildProcess, stream: 'stdout' | 'stderr'): void {
    let buffered = '';
    const source = child[stream];
    if (!source) return;
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        this.note(stream, buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
    });
    source.on('end', () => {
      if (buffered.length > 0) this.note(stream, buffered);
      buffered = '';
    });
  }

  private note(stream: 'stdout' | 'stderr', text: string): void {
    const line: LogLine = { seq: this.seq++, stream, text, json: parseJsonObject(text) };
    this.lines.push(line);
    if (this.lines.length > maxKeptLines) this.lines.splice(0, this.lines.length - maxKeptLines);
    if (this.spec.logFile) appendFileSync(this.spec.logFile, `${stream === 'stderr' ? '! ' : ''}${text}\n`);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
