import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** WeChat refuses to upload a main package over 2 MB. */
export const MAIN_PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024;
/** Our own budget: room for features before the hard limit bites. */
export const MAIN_PACKAGE_BUDGET_BYTES = 350 * 1024;

/** Files the WeChat upload does not count (devtools config, licence notes, source maps). */
const notUploaded = (file: string) => file === 'project.config.json' || file.endsWith('.map') || file.endsWith('.LICENSE.txt');

export interface PackageSize {
  totalBytes: number;
  files: { file: string; bytes: number }[];
}

/** The subpackage roots app.json declares: WeChat downloads them on first visit, not with the main package. */
function subpackageRoots(distDir: string): string[] {
  const appJson = path.join(distDir, 'app.json');
  if (!existsSync(appJson)) return [];
  const app = JSON.parse(readFileSync(appJson, 'utf8')) as { subPackages?: { root: string }[]; subpackages?: { root: string }[] };
  return (app.subPackages ?? app.subpackages ?? []).map((sub) => path.join(distDir, sub.root.replace(/\/+$/, '')));
}

/** Size of the main package: everything in dist/weapp that is uploaded, subpackages left out. */
export function measureWeappMainPackage(distDir: string): PackageSize {
  const files: { file: string; bytes: number }[] = [];
  const skipped = new Set(subpackageRoots(distDir));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && skipped.has(full)) continue;
      if (entry.isDirectory()) walk(full);
      else if (!notUploaded(entry.name)) files.push({ file: path.relative(distDir, full), bytes: statSync(full).size });
    }
  };
  walk(distDir);
  files.sort((a, b) => b.bytes - a.bytes);
  return { totalBytes: files.reduce((sum, file) => sum + file.bytes, 0), files };
}
