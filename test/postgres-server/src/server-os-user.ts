import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PostgresHarnessError } from './postgres-harness-error';

const execFileAsync = promisify(execFile);

export interface OsUser {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. Under root (CI) the server runs as the `postgres` OS user
 * that Debian's package creates; otherwise as the current user (undefined = no switch).
 */
export async function resolveServerOsUser(name = 'postgres'): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  let line: string;
  try {
    ({ stdout: line } = await execFileAsync('getent', ['passwd', name]));
  } catch (cause) {
    throw new PostgresHarnessError(
      'POSTGRES_OS_USER_MISSING',
      `Running as root, but there is no \`${name}\` OS user to run the server as. ` +
        '`apt-get install -y postgresql` creates it (or `useradd --system postgres`).',
      { cause },
    );
  }
  // name:password:uid:gid:gecos:home:shell
  const [, , uid, gid] = line.trim().split(':');
  const user = { uid: Number(uid), gid: Number(gid) };
  if (!Number.isInteger(user.uid) || !Number.isInteger(user.gid) || user.uid === 0) {
    throw new PostgresHarnessError('POSTGRES_OS_USER_MISSING', `OS user \`${name}\` has an unusable uid/gid: ${uid}/${gid}`);
  }
  return user;
}
