import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleApp } from '@checkout/app-bundle';

// devMerchant (@checkout/protocol/testing, the development defaults) reads its PEM files next to
// the module, which after bundling is dist/main.js: ship them as dist/keys.
const protocolTesting = dirname(fileURLToPath(import.meta.resolve('@checkout/protocol/testing')));
// Optional argument: another output directory inside the app (tests build into test-output/).
await bundleApp({ appDir: import.meta.dirname, entry: 'src/main.ts', outdir: process.argv[2] ?? 'dist', copy: [{ from: join(protocolTesting, 'keys'), to: 'keys' }] });
