import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PostgresHarnessError } from './postgres-harness-error';
import type { OsUser } from './server-os-user';

/**
 * The server runs as `user`, so it must be able to enter every directory above its temp dir.
 * Checked up front: initdb's own error for this ("could not change directory") names no remedy.
 */
export function assertReachableBy(user: OsUser, tempRoot: string): void {
  for (let dir = resolve(tempRoot); ; dir = dirname(dir)) {
    const stat = statSync(dir);
    const canEnter =
      (stat.mode & 0o001) !== 0 || (stat.uid === user.uid && (stat.mode & 0o100) !== 0) || (stat.gid === user.gid && (stat.mode & 0o010) !== 0);
    if (!canEnter) {
      throw new PostgresHarnessError(
        'POSTGRES_TEMP_DIR_UNREACHABLE',
        `The postgres OS user cannot enter ${dir}, so it cannot use a data directory under ${tempRoot}. ` +
          'Set TMPDIR (or the tempRoot option) to a directory it can reach, such as /tmp.',
      );
    }
    if (dirname(dir) === dir) return;
  }
}
