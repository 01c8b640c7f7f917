import { createLogger } from './create-logger';
import { loadConfig } from './env';
import type { RunningBff } from './composition/start-bff';
import { startBff } from './composition/start-bff';

// The only place that listens. Env → config (env.ts), then a full BFF; SIGTERM/SIGINT drain and exit.
let bff: RunningBff;
try {
  const config = loadConfig();
  bff = await startBff(config);
  bff.logger.info({ url: bff.url, notifyUrl: bff.notifyUrl, database: bff.database.dialect, wxpay: config.wxpay.mchBaseUrl }, 'listening');
} catch (error) {
  // Config and startup errors name variables, never values.
  const err = error instanceof Error ? { name: error.name, message: error.message } : { value: typeof error };
  createLogger({ level: 'info' }).fatal({ err }, 'failed to start');
  process.exit(1);
}

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  bff.logger.info({ signal }, 'shutting down');
  bff
    .close()
    .then(() => {
      bff.logger.info({}, 'stopped');
      process.exit(0);
    })
    .catch((error: unknown) => {
      bff.logger.error({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'shutdown failed');
      process.exit(1);
    });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
