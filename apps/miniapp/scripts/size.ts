// Prints the production weapp main-package size against WeChat's 2 MB limit and our 350 KiB budget.
// Exits 1 over 2 MB (WeChat would refuse the upload); over budget only warns.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAIN_PACKAGE_BUDGET_BYTES, MAIN_PACKAGE_LIMIT_BYTES, measureWeappMainPackage } from './weapp-size';

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/weapp');
if (!existsSync(path.join(distDir, 'app.js'))) {
  console.error(`size: ${distDir}/app.js not found; run \`pnpm --filter @checkout/miniapp build\` first`);
  process.exit(1);
}
const { totalBytes, files } = measureWeappMainPackage(distDir);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log('weapp main package (production build):');
for (const file of files.slice(0, 8)) console.log(`  ${kib(file.bytes).padStart(11)}  ${file.file}`);
console.log(`  total ${kib(totalBytes)} = ${((totalBytes / MAIN_PACKAGE_LIMIT_BYTES) * 100).toFixed(1)}% of the 2 MB limit; budget 350 KiB: ${totalBytes <= MAIN_PACKAGE_BUDGET_BYTES ? 'within' : 'OVER'}`);
if (totalBytes > MAIN_PACKAGE_LIMIT_BYTES) {
  console.error(`size: FAIL: main package ${kib(totalBytes)} exceeds WeChat's 2 MB limit`);
  process.exit(1);
}
if (totalBytes > MAIN_PACKAGE_BUDGET_BYTES) console.warn(`size: warning: main package is over the 350 KiB budget by ${kib(totalBytes - MAIN_PACKAGE_BUDGET_BYTES)}`);
