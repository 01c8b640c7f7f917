import { execFileSync } from 'node:child_process';

/** Whether the `openssl` CLI is available: the cross-checks against it are skipped otherwise. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
