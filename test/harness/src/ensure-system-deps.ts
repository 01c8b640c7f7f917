// Installs the Debian packages the test suites need (Chromium + CJK fonts for the H5 end-to-end
// test, the PostgreSQL server for the scale-out suites) when they are missing, so the README's
// single test command works on a fresh machine. Runs before every test task (turbo.json).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

interface SystemDep {
  debianPackage: string;
  present: () => boolean;
}

const postgresBinDirs = (): string[] =>
  existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`) : [];

const deps: SystemDep[] = [
  { debianPackage: 'chromium', present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  { debianPackage: 'fonts-noto-cjk', present: () => existsSync('/usr/share/fonts/opentype/noto') },
  {
    debianPackage: 'postgresql',
    present: () => [process.env.PG_BIN, ...postgresBinDirs()].some((dir) => dir !== undefined && existsSync(`${dir}/initdb`)),
  },
];

const missing = deps.filter((dep) => !dep.present()).map((dep) => dep.debianPackage);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  console.error(`system-deps: missing Debian packages ${missing.join(', ')}; install them as root: ${command}`);
  process.exit(1);
}

console.log(`system-deps: installing ${missing.join(', ')} (${command})`);
const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
execFileSync('apt-get', [...lockWait, 'update', '-qq'], { stdio: 'inherit', env: aptEnv });
execFileSync('apt-get', [...lockWait, 'install', '-y', '-qq', ...missing], { stdio: 'inherit', env: aptEnv });
