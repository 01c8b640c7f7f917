import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '@checkout/postgres-server/testing/process-alive';
import { firstLine } from '@checkout/postgres-server/testing/first-line';

const packageDir = join(import.meta.dirname, '..');

describe('cli', () => {
  it('prints DATABASE_URL, serves it, and stops on SIGTERM leaving nothing behind', async () => {
    const cli = spawn(join(packageDir, 'node_modules/.bin/tsx'), ['src/cli.ts'], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await firstLine(cli.stdout, 'DATABASE_URL=');
    const url = line.slice('DATABASE_URL='.length);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ one: number; data: string }>("select 1 as one, current_setting('data_directory') as data");
    await client.end();
    expect(rows[0]?.one).toBe(1);
    const dataDir = rows[0]?.data ?? '';
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

    cli.kill('SIGTERM');
    const [code] = (await once(cli, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });
});
