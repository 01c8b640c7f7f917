import { z } from 'zod';

/** The program's configuration: env vars, overridable by flags (`--port`, `--secure-port`, `--host`, `--config`, `--notify-time-scale`, …). */
export interface EmulatorEnv {
  port: number;
  /** The HTTPS listener (mutual TLS for /secapi/*). */
  securePort: number;
  host: string;
  configPath: string | undefined;
  notifyTimeScale: number;
  /** How long a notify_url may take to answer before the delivery counts as failed (default: 5 s × scale, at least 1 s). */
  notifyTimeoutMs: number | undefined;
  /** Minimum time between two refunds of one order (default 60 s, as documented). */
  refundMinIntervalMs: number;
  /** Day D's bill is served from this hour (Beijing) of D+1 (default: the emulator's, 10). */
  billReadyHourBeijing: number | undefined;
  /** Mini-program message push (消息推送) target: both or neither. */
  messagePush: { url: string; token: string } | undefined;
}

const envSchema = z.object({
  WXPAY_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  WXPAY_EMULATOR_SECURE_PORT: z.coerce.number().int().min(0).max(65535).default(3101),
  WXPAY_EMULATOR_REFUND_MIN_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  WXPAY_EMULATOR_BILL_READY_HOUR: z.coerce.number().int().min(0).max(23).optional(),
  WXPAY_EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  WXPAY_EMULATOR_CONFIG: z.string().min(1).optional(),
  WXPAY_EMULATOR_NOTIFY_TIME_SCALE: z.coerce.number().min(0).default(1),
  WXPAY_EMULATOR_NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
  EMULATOR_MESSAGE_PUSH_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMULATOR_MESSAGE_PUSH_TOKEN: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'the mini-program Token is 3-32 letters or digits').optional(),
});

const FLAGS: Readonly<Record<string, keyof z.input<typeof envSchema>>> = {
  '--port': 'WXPAY_EMULATOR_PORT',
  '--secure-port': 'WXPAY_EMULATOR_SECURE_PORT',
  '--refund-min-interval-ms': 'WXPAY_EMULATOR_REFUND_MIN_INTERVAL_MS',
  '--bill-ready-hour': 'WXPAY_EMULATOR_BILL_READY_HOUR',
  '--host': 'WXPAY_EMULATOR_HOST',
  '--config': 'WXPAY_EMULATOR_CONFIG',
  '--notify-time-scale': 'WXPAY_EMULATOR_NOTIFY_TIME_SCALE',
  '--notify-timeout-ms': 'WXPAY_EMULATOR_NOTIFY_TIMEOUT_MS',
  '--message-push-url': 'EMULATOR_MESSAGE_PUSH_URL',
  '--message-push-token': 'EMULATOR_MESSAGE_PUSH_TOKEN',
};

/** The only place the emulator reads process.env (and argv). */
export function readEnv(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv.slice(2)): EmulatorEnv {
  const merged: Record<string, string | undefined> = {
    WXPAY_EMULATOR_PORT: env.WXPAY_EMULATOR_PORT,
    WXPAY_EMULATOR_SECURE_PORT: env.WXPAY_EMULATOR_SECURE_PORT,
    WXPAY_EMULATOR_REFUND_MIN_INTERVAL_MS: env.WXPAY_EMULATOR_REFUND_MIN_INTERVAL_MS,
    WXPAY_EMULATOR_BILL_READY_HOUR: env.WXPAY_EMULATOR_BILL_READY_HOUR,
    WXPAY_EMULATOR_HOST: env.WXPAY_EMULATOR_HOST,
    WXPAY_EMULATOR_CONFIG: env.WXPAY_EMULATOR_CONFIG,
    WXPAY_EMULATOR_NOTIFY_TIME_SCALE: env.WXPAY_EMULATOR_NOTIFY_TIME_SCALE,
    WXPAY_EMULATOR_NOTIFY_TIMEOUT_MS: env.WXPAY_EMULATOR_NOTIFY_TIMEOUT_MS,
    EMULATOR_MESSAGE_PUSH_URL: env.EMULATOR_MESSAGE_PUSH_URL,
    EMULATOR_MESSAGE_PUSH_TOKEN: env.EMULATOR_MESSAGE_PUSH_TOKEN,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') continue; // `pnpm start -- --port 1` passes the separator through
    const [flag = '', inline] = arg.split('=', 2);
    const name = FLAGS[flag];
    if (name === undefined) throw new Error(`unknown flag ${flag} (known: ${Object.keys(FLAGS).join(', ')})`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`flag ${flag} needs a value`);
    merged[name] = value;
  }
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid emulator configuration: ${issue === undefined ? '' : `${issue.path.join('.')}: ${issue.message}`}`);
  }
  return {
    port: parsed.data.WXPAY_EMULATOR_PORT,
    securePort: parsed.data.WXPAY_EMULATOR_SECURE_PORT,
    host: parsed.data.WXPAY_EMULATOR_HOST,
    configPath: parsed.data.WXPAY_EMULATOR_CONFIG,
    notifyTimeScale: parsed.data.WXPAY_EMULATOR_NOTIFY_TIME_SCALE,
    notifyTimeoutMs: parsed.data.WXPAY_EMULATOR_NOTIFY_TIMEOUT_MS,
    refundMinIntervalMs: parsed.data.WXPAY_EMULATOR_REFUND_MIN_INTERVAL_MS,
    billReadyHourBeijing: parsed.data.WXPAY_EMULATOR_BILL_READY_HOUR,
    messagePush: messagePushTarget(parsed.data.EMULATOR_MESSAGE_PUSH_URL, parsed.data.EMULATOR_MESSAGE_PUSH_TOKEN),
  };
}

function messagePushTarget(url: string | undefined, token: string | undefined): { url: string; token: string } | undefined {
  if (url === undefined && token === undefined) return undefined;
  if (url === undefined || token === undefined) throw new Error('invalid emulator configuration: EMULATOR_MESSAGE_PUSH_URL and EMULATOR_MESSAGE_PUSH_TOKEN go together');
  return { url, token };
}
