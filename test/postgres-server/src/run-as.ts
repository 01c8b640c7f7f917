import { execFile } from 'node:child_process';
import type { OsUser } from './server-os-user';

const OUTPUT_CHARS = 4_000;

/** Runs a server tool (initdb) as `user` (undefined: as ourselves); rejects with its stderr. */
export function runAs(file: string, args: string[], cwd: string, user: OsUser | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, ...(user ?? {}) }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${error.message}\n${stderr}`.slice(0, OUTPUT_CHARS)));
      else resolve(stdout);
    });
  });
}
