import { createEmulator } from './create-emulator';
import { readEnv } from './env';
import { loadMerchantsConfig } from './state/merchants-config';

// The program: reads configuration, listens, and shuts down gracefully on SIGTERM/SIGINT.
const env = readEnv();
const merchants = env.configPath === undefined ? undefined : loadMerchantsConfig(env.configPath);
const log = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), service: 'wxpay-emulator', ...line })}\n`);
};
const emulator = createEmulator({
  merchants,
  notifyTimeScale: env.notifyTimeScale,
  notifyTimeoutMs: env.notifyTimeoutMs,
  refundMinIntervalMs: env.refundMinIntervalMs,
  ...(env.billReadyHourBeijing === undefined ? {} : { billReadyHourBeijing: env.billReadyHourBeijing }),
  ...(env.messagePush === undefined ? {} : { messagePush: env.messagePush }),
  logger: log,
});
const running = await emulator.listen(env.port, env.host, { securePort: env.securePort });
log({ msg: 'listening', url: running.url, secureUrl: running.secureUrl, merchants: merchants?.map((m) => m.mchId) ?? ['dev merchant'], dashboard: `${running.url}/__emulator/` });

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  log({ msg: 'shutting down', signal });
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  void running.close().then(() => {
    log({ msg: 'stopped' });
    process.exit(0);
  });
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
