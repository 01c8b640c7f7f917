// `pnpm --filter @checkout/miniapp start`: serves dist/h5 on 127.0.0.1:3200 for browser development.
// The only file of this dev tool that reads process.env.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { listenH5Server } from './h5-server';

const env = z
  .object({
    MINIAPP_H5_HOST: z.string().default('127.0.0.1'),
    MINIAPP_H5_PORT: z.coerce.number().int().min(0).max(65535).default(3200),
    BFF_URL: z.url().default('http://127.0.0.1:3000'),
    WXPAY_EMULATOR_URL: z.url().default('http://127.0.0.1:3100'),
  })
  .parse(process.env);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/h5');
const running = await listenH5Server({ root, bffUrl: env.BFF_URL, emulatorUrl: env.WXPAY_EMULATOR_URL }, env.MINIAPP_H5_PORT, env.MINIAPP_H5_HOST);
console.log(`H5 checkout on ${running.url} (API → ${env.BFF_URL}, cashier → ${env.WXPAY_EMULATOR_URL})`);

// `pnpm start` stops with Ctrl-C: the terminal and turbo each send SIGINT, so a signal may come
// twice; the first starts a drained stop that exits 0, later ones are ignored (not fatal).
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void running.close().then(() => {
    console.log('H5 checkout stopped');
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
