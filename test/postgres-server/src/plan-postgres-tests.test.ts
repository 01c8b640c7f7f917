import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planPostgresTests } from './index';

describe('planPostgresTests', () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-postgres-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('runs when the server binaries are there', () => {
    expect(planPostgresTests({ env: {} })).toEqual({ run: true });
  });

  it('skips a local run without PostgreSQL, with the install command as the reason', () => {
    const plan = planPostgresTests({ env: {}, searchRoot: empty });
    expect(plan.run).toBe(false);
    expect(plan.run ? '' : plan.reason).toMatch(/skipped.*apt-get install -y postgresql/s);
    expect(planPostgresTests({ env: { CI: 'false' }, searchRoot: empty }).run).toBe(false);
  });

  it('never skips under CI or with TEST_DATABASE_URL: the suite must then fail on a missing server', () => {
    expect(planPostgresTests({ env: { CI: 'true' }, searchRoot: empty })).toEqual({ run: true });
    expect(planPostgresTests({ env: { CI: '1' }, searchRoot: empty })).toEqual({ run: true });
    expect(planPostgresTests({ env: { TEST_DATABASE_URL: 'postgres://u@127.0.0.1:5/x' }, searchRoot: empty })).toEqual({ run: true });
  });

  it('still reports a PG_BIN without the binaries as not installed (skipped locally)', () => {
    expect(planPostgresTests({ env: { PG_BIN: empty } }).run).toBe(false);
    expect(planPostgresTests({ env: { PG_BIN: empty, CI: 'true' } }).run).toBe(true);
  });
});
