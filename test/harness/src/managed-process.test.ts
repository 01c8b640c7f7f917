import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '@checkout/postgres-server';
import { ManagedProcess, delay } from './managed-process';
import { liveChildPids } from './process-registry';

const echoEntry = new URL('./fixtures/echo-server.ts', import.meta.url).pathname;
const started: ManagedProcess[] = [];

function echo(env: Record<string, string>): ManagedProcess {
  const process = new ManagedProcess({ name: 'echo', entry: echoEntry, cwd: import.meta.dirname, env });
  started.push(process);
  return process;
}

async function listening(process: ManagedProcess, fromSeq = 0): Promise<string> {
  const line = await process.waitForLine((l) => l.json?.msg === 'listening', { timeoutMs: 20_000, description: 'listening', fromSeq });
  return String(line.json?.url);
}

function alive(pid: number): boolean {
  try {
    globalThis.process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop(2_000)));
});

describe('ManagedProcess', () => {
  it('starts a real child, captures its JSON log lines and stops it gracefully with SIGTERM', async () => {
    const server = echo({ PORT: '0' });
    server.start();
    const url = await listening(server);
    const answer = (await (await fetch(`${url}/hello`)).json()) as { pid: number; path: string };
    expect(answer).toMatchObject({ pid: server.pid, path: '/hello' });
    const exit = await server.stop();
    expect(exit).toMatchObject({ code: 0, forced: false });
    expect(server.lines.some((line) => line.json?.msg === 'stopping')).toBe(true);
    expect(liveChildPids()).not.toContain(answer.pid);
  });

  it('kill9 crashes the server itself (no graceful path) and restart brings it back on the same port', async () => {
    const port = await findFreePort();
    const server = echo({ PORT: String(port) });
    server.start();
    const url = await listening(server);
    const firstPid = server.pid;
    const exit = await server.kill9();
    expect(exit.signal).toBe('SIGKILL');
    expect(server.lines.some((line) => line.json?.msg === 'stopping')).toBe(false);
    await expect(fetch(url)).rejects.toThrow();

    const from = server.nextSeq;
    server.start();
    expect(await listening(server, from)).toBe(url);
    const answer = (await (await fetch(url)).json()) as { pid: number };
    expect(answer.pid).not.toBe(firstPid);
    expect(server.startCount).toBe(2);
  });

  it('runs a .js entry (a production build) on plain node, without the tsx loader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'managed-js-'));
    try {
      const entry = join(dir, 'main.js');
      writeFileSync(entry, "process.stdout.write(JSON.stringify({ msg: 'argv', execArgv: process.execArgv }) + '\\n');\n");
      const server = new ManagedProcess({ name: 'plain', entry, cwd: dir, env: {} });
      started.push(server);
      server.start();
      const line = await server.waitForLine((l) => l.json?.msg === 'argv', { timeoutMs: 20_000, description: 'argv' });
      const execArgv = line.json?.execArgv as string[];
      expect(execArgv.some((arg) => arg.includes('parent-watch'))).toBe(true);
      expect(execArgv.some((arg) => arg.includes('tsx'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a waitForLine on a process that exits rejects with its last log lines instead of hanging', async () => {
    const server = new ManagedProcess({ name: 'broken', entry: '/nonexistent/main.ts', cwd: import.meta.dirname, env: {} });
    started.push(server);
    server.start();
    await expect(server.waitForLine(() => false, { timeoutMs: 20_000, description: 'never' })).rejects.toThrow(/broken exited while waiting for never/);
  });

  it('a child outlives nobody: when the process that started it is SIGKILLed, the child dies too', async () => {
    const parent = new ManagedProcess({
      name: 'parent',
      entry: new URL('./fixtures/orphaning-parent.ts', import.meta.url).pathname,
      cwd: import.meta.dirname,
      env: {},
    });
    started.push(parent);
    parent.start();
    const line = await parent.waitForLine((l) => l.json?.msg === 'child', { timeoutMs: 30_000, description: 'child pid' });
    const childPid = Number(line.json?.pid);
    expect(alive(childPid)).toBe(true);
    await parent.kill9();
    // Bounded wait, not a timing assertion: the child polls for reparenting every 250 ms.
    for (let i = 0; i < 100 && alive(childPid); i += 1) await delay(100);
    expect(alive(childPid)).toBe(false);
  });
});

describe('clock-shift preload', () => {
  it('moves the child wall clock ahead on SIGUSR2 and keeps Date semantics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-clock-'));
    const clockFile = join(dir, 'offset');
    writeFileSync(clockFile, '0');
    const server = new ManagedProcess({
      name: 'clock',
      entry: echoEntry,
      cwd: import.meta.dirname,
      env: { PORT: '0', HARNESS_CLOCK_FILE: clockFile },
      preloads: [new URL('./clock-shift.mjs', import.meta.url).href],
    });
    started.push(server);
    try {
      server.start();
      const url = await listening(server);
      const read = async () => (await (await fetch(url)).json()) as { now: string; isDate: boolean };
      const before = await read();
      expect(Math.abs(Date.parse(before.now) - Date.now())).toBeLessThan(60_000);

      const hour = 3_600_000;
      writeFileSync(clockFile, String(7 * hour));
      const from = server.nextSeq;
      server.signal('SIGUSR2');
      await server.waitForLine((l) => l.json?.harness === 'clock-shift', { timeoutMs: 10_000, description: 'ack', fromSeq: from });
      const after = await read();
      expect(Date.parse(after.now) - Date.now()).toBeGreaterThan(7 * hour - 60_000);
      expect(after.isDate).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
