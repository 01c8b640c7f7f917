import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startExitWatchdog } from './exit-watchdog';
import { PostgresHarnessError } from './postgres-harness-error';
import { runAs } from './run-as';
import type { OsUser } from './server-os-user';

const execFileAsync = promisify(execFile);

export interface DataDirTemplate {
  dataDir: string;
  /** Password of the `postgres` role in every copy. */
  password: string;
}

const templates = new Map<string, Promise<DataDirTemplate>>();

/**
 * initdb runs once per process (per binaries, OS user and temp root); each server gets a copy,
 * which costs a fraction of an initdb on a loaded CI machine. The servers of one process therefore
 * share one random password. A watchdog removes the template when the process ends.
 */
export function dataDirTemplate(binDir: string, user: OsUser | undefined, tempRoot: string): Promise<DataDirTemplate> {
  const key = JSON.stringify([binDir, user?.uid ?? null, tempRoot]);
  let template = templates.get(key);
  if (template === undefined) {
    template = createTemplate(binDir, user, tempRoot);
    templates.set(key, template);
    // A failed initdb is not cached: the next server tries again (and reports its own error).
    template.catch(() => templates.delete(key));
  }
  return template;
}

async function createTemplate(binDir: string, user: OsUser | undefined, tempRoot: string): Promise<DataDirTemplate> {
  const dir = mkdtempSync(join(tempRoot, 'checkout-pg-template-'));
  const watchdog = startExitWatchdog(null, dir);
  try {
    const dataDir = join(dir, 'data');
    const passwordFile = join(dir, 'password');
    const password = randomBytes(18).toString('hex');
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) for (const path of [dir, dataDir, passwordFile]) chownSync(path, user.uid, user.gid);
    try {
      await runAs(
        join(binDir, 'initdb'),
        ['-D', dataDir, '-U', 'postgres', '--pwfile', passwordFile, '--auth-local=trust', '--auth-host=scram-sha-256',
          '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
        dir,
        user,
      );
    } finally {
      rmSync(passwordFile, { force: true });
    }
    return { dataDir, password };
  } catch (cause) {
    watchdog.disarm();
    rmSync(dir, { recursive: true, force: true });
    throw new PostgresHarnessError('POSTGRES_INITDB_FAILED', (cause as Error).message, { cause });
  }
}

/** Copies the template into `dataDir` (which must not exist), keeping owner and modes (`cp -a`). */
export async function copyDataDir(template: DataDirTemplate, dataDir: string): Promise<void> {
  try {
    await execFileAsync('cp', ['-a', '--', template.dataDir, dataDir]);
  } catch (cause) {
    throw new PostgresHarnessError('POSTGRES_INITDB_FAILED', `could not copy the initialized data directory: ${(cause as Error).message}`, { cause });
  }
}
