import { accessSync, constants, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresHarnessError } from './postgres-harness-error';

export interface PostgresInstallation {
  /** Directory with the server binaries (initdb, postgres). */
  binDir: string;
}

export interface EnsurePostgresInstalledOptions {
  /** Explicit binary directory (the PG_BIN env var); wins over the search. */
  pgBin?: string | undefined;
  /** Where Debian puts versioned server binaries; a parameter so the failure path is testable. */
  searchRoot?: string;
}

const REQUIRED_BINARIES = ['initdb', 'postgres'] as const;

const INSTALL_HINT =
  'Install the PostgreSQL server with `apt-get update && apt-get install -y postgresql` ' +
  '(Debian/Ubuntu; binaries land in /usr/lib/postgresql/<version>/bin), ' +
  'or set PG_BIN to a directory that contains initdb and postgres.';

function hasServerBinaries(dir: string): boolean {
  return REQUIRED_BINARIES.every((name) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Finds initdb/postgres, or throws POSTGRES_NOT_INSTALLED explaining how to install them. */
export function ensurePostgresInstalled(options: EnsurePostgresInstalledOptions = {}): PostgresInstallation {
  const { pgBin, searchRoot = '/usr/lib/postgresql' } = options;
  if (pgBin !== undefined) {
    if (hasServerBinaries(pgBin)) return { binDir: pgBin };
    throw new PostgresHarnessError(
      'POSTGRES_NOT_INSTALLED',
      `PG_BIN=${pgBin} does not contain executable ${REQUIRED_BINARIES.join(' and ')}. ${INSTALL_HINT}`,
    );
  }
  let versions: string[];
  try {
    versions = readdirSync(searchRoot);
  } catch {
    versions = [];
  }
  // Newest major first: '16' > '15' > '9.6' by numeric comparison.
  const candidates = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(searchRoot, v, 'bin'));
  const binDir = candidates.find(hasServerBinaries);
  if (binDir !== undefined) return { binDir };
  throw new PostgresHarnessError(
    'POSTGRES_NOT_INSTALLED',
    `PostgreSQL server binaries not found under ${searchRoot}/*/bin. ${INSTALL_HINT}`,
  );
}
