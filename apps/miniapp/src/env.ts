import { z } from 'zod/mini';

/**
 * A base URL: absolute http(s), or an origin-relative path ("/" = same origin) for the H5 build,
 * whose static server proxies the BFF and the emulator. Trailing slashes are dropped.
 */
const baseUrlSchema = z.pipe(
  z.string().check(
    z.trim(),
    z.refine((value) => /^https?:\/\/[^\s/]+/.test(value) || value.startsWith('/'), {
      message: 'must be an http(s) URL or a path starting with "/"',
    }),
  ),
  z.transform((value: string) => value.replace(/\/+$/, '')),
);

/** Empty or missing means "not configured". */
const optionalBaseUrlSchema = z.pipe(
  z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined) => (value?.trim() ? value.trim() : undefined)),
  ),
  z.optional(baseUrlSchema),
);

const envSchema = z.object({
  TARO_ENV: z.enum(['weapp', 'h5']),
  TARO_APP_API_BASE_URL: baseUrlSchema,
  TARO_APP_CASHIER_URL: optionalBaseUrlSchema,
  TARO_APP_EMULATOR_URL: optionalBaseUrlSchema,
  TARO_APP_APP_ID: z.string().check(z.trim(), z.regex(/^wx[0-9a-zA-Z]{14,30}$/, 'must be a mini-program appId (wx…)')),
});

export type Platform = 'weapp' | 'h5';

export interface AppConfig {
  platform: Platform;
  /** Prefix for `/api/...`; '' means same origin (H5 behind the dev server's proxy). */
  apiBaseUrl: string;
  /** H5 only: the WeChat Pay emulator's cashier page. Absent = H5 cannot pay. */
  cashierUrl: string | null;
  /** H5 dev only: where login codes come from, since browsers have no wx.login. */
  emulatorUrl: string | null;
  appId: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  override name = 'ConfigError';
}

export function parseAppConfig(raw: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid TARO_APP_* configuration (${problems})`);
  }
  const env = parsed.data;
  return {
    platform: env.TARO_ENV,
    apiBaseUrl: env.TARO_APP_API_BASE_URL,
    cashierUrl: env.TARO_APP_CASHIER_URL ?? null,
    emulatorUrl: env.TARO_APP_EMULATOR_URL ?? null,
    appId: env.TARO_APP_APP_ID,
  };
}

/**
 * The only place that reads process.env. Taro inlines each `process.env.TARO_APP_*` reference
 * at build time (only for keys declared in .env files), so every key is spelled out.
 */
export function readAppConfig(): AppConfig {
  return parseAppConfig({
    TARO_ENV: process.env.TARO_ENV,
    TARO_APP_API_BASE_URL: process.env.TARO_APP_API_BASE_URL,
    TARO_APP_CASHIER_URL: process.env.TARO_APP_CASHIER_URL,
    TARO_APP_EMULATOR_URL: process.env.TARO_APP_EMULATOR_URL,
    TARO_APP_APP_ID: process.env.TARO_APP_APP_ID,
  });
}
