import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleApp } from '@checkout/app-bundle';

// The benchmark runs as plain JavaScript, like the production build: no TypeScript loader in the
// measured process (tsx's loader thread alone adds ~40 MiB of RSS). The development keys that
// @checkout/protocol/testing reads next to its module ship as bench/dist/keys.
const protocolTesting = dirname(fileURLToPath(import.meta.resolve('@checkout/protocol/testing')));
await bundleApp({ appDir: join(import.meta.dirname, '..'), entry: 'bench/reconcile-day.ts', outdir: 'bench/dist', copy: [{ from: join(protocolTesting, 'keys'), to: 'keys' }] });
