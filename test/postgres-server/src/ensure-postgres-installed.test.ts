import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePostgresInstalled } from './index';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ensurePostgresInstalled', () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-postgres-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it("finds Debian's server binaries", () => {
    const { binDir } = ensurePostgresInstalled();
    expect(binDir).toMatch(/^\/usr\/lib\/postgresql\/\d+(\.\d+)?\/bin$/);
  });

  it('accepts an explicit PG_BIN directory', () => {
    const { binDir } = ensurePostgresInstalled();
    expect(ensurePostgresInstalled({ pgBin: binDir })).toEqual({ binDir });
  });

  it('explains how to install PostgreSQL when nothing is found', () => {
    expect(thrownBy(() => ensurePostgresInstalled({ searchRoot: empty }))).toMatchObject({
      code: 'POSTGRES_NOT_INSTALLED',
      message: expect.stringContaining('apt-get install -y postgresql') as unknown,
    });
    expect(() => ensurePostgresInstalled({ searchRoot: join(empty, 'missing') })).toThrow(/apt-get install -y postgresql/);
  });

  it('names a PG_BIN that lacks the binaries', () => {
    expect(thrownBy(() => ensurePostgresInstalled({ pgBin: empty }))).toMatchObject({
      code: 'POSTGRES_NOT_INSTALLED',
      message: expect.stringContaining(`PG_BIN=${empty}`) as unknown,
    });
  });
});
