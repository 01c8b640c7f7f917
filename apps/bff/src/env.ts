import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { devMerchantDefaults as devMerchant, devTlsDefaults as devTls } from './dev-merchant-defaults';
import { loadMerchantCertificate, MerchantCertificateError, type MerchantCertificateSource, type MerchantTlsCredentials } from './merchant-certificate';
import { CLOSE_ORDER_MIN_AGE_SECONDS, PREPAY_ID_LIFETIME_SECONDS, serializeSceneInfo, WxPayValidationError } from '@checkout/protocol/wxpay';
import type { DatabaseConfig } from './db/create-database';
import type { CheckoutPolicy, MerchantOrderFields } from './domain/checkout-policy';

/**
 * The BFF's whole configuration. This file is the only reader of process.env; everything else
 * receives a BffConfig. With no env at all it runs against the local emulator with test keys.
 */
export interface BffConfig {
  host: string;
  /** 0 = any free port (the bound URL is logged as {"msg":"listening","url":…}). */
  port: number;
  /** notify_url sent to unifiedorder; default `<bound url>/wxpay/notify`. */
  notifyUrl: string | null;
  database: DatabaseConfig;
  wxpay: {
    /** api.mch.weixin.qq.com (pay) base URL. */
    mchBaseUrl: string;
    /** api.weixin.qq.com (jscode2session) base URL. */
    apiBaseUrl: string;
    appId: string;
    appSecret: string;
    mchId: string;
    apiKey: string;
    signType: 'MD5' | 'HMAC-SHA256';
    timeoutMs: number;
    maxAttempts: number;
    retryBaseDelayMs: number;
    spbillCreateIp: string;
  };
  /** `/secapi/*` (refunds): mutual TLS with the merchant API certificate. */
  secapi: {
    /** api.mch.weixin.qq.com over HTTPS, or the emulator's HTTPS listener. */
    baseUrl: string;
    /** Loaded and checked at startup; holds the private key, never logged. */
    credentials: MerchantTlsCredentials;
    /** Extra CA to trust for baseUrl (the emulator's dev CA); null = the system's CAs only. */
    caPem: string | null;
    /** True while the repository's test certificate is in use. */
    devCertificate: boolean;
  };
  /** notify_url of refunds; default `<bound url>/wxpay/refund-notify`. */
  refundNotifyUrl: string | null;
  session: { secret: string; ttlSeconds: number };
  /** Key for subsidy PII at rest. */
  piiKey: string;
  cors: { origins: string[] };
  /** Trust X-Forwarded-For/Proto from a reverse proxy. */
  trustProxy: boolean;
  rateLimit: { windowMs: number; max: number };
  /** POST /api/session: every login may cost a jscode2session call from the app's WeChat quota. */
  login: {
    /** Per client IP, on top of `rateLimit`. */
    rateLimit: { windowMs: number; max: number };
    /** jscode2session calls this process makes in any window (below WeChat's per-app quota). */
    budget: { windowMs: number; max: number };
    /** How long a repeat of an exchanged code (same client IP) is answered without WeChat; 0 = off. */
    codeCacheTtlMs: number;
  };
  bodyLimits: { jsonBytes: number; notifyBytes: number };
  /** Whole-request limit (headers + body): a slow or stalled client cannot hold a connection open. */
  requestTimeoutMs: number;
  /** The checkout policy's timing and pricing rules (merchant facts come from `wxpay`). */
  orders: Omit<CheckoutPolicy, 'appId' | 'mchId' | 'signType' | 'notifyUrl' | 'spbillCreateIp'>;
  sweeper: {
    enabled: boolean;
    intervalMs: number;
    queryAfterSeconds: number;
    requeryIntervalSeconds: number;
    batchSize: number;
    leaseSeconds: number;
  };
  /** payitil/report (交易保障): every v2 call timed and reported off the request path. */
  wxpayReport: {
    /** 0 off, 1 failed calls only (the official SDKs' default), 2 every call. */
    level: 0 | 1 | 2;
    /** `user_ip`: this server's IP as WeChat Pay sees it. */
    userIp: string;
    queueCapacity: number;
    concurrency: number;
    timeoutMs: number;
  };
  /** APIv3 (gov subsidy sync): merchant signing key and the WeChat Pay public key. */
  wxpayV3: {
    merchantSerialNo: string;
    merchantPrivateKeyPem: string;
    /** `PUB_KEY_ID_…` (Wechatpay-Serial for OAEP fields; verifies answers). */
    publicKeyId: string;
    publicKeyPem: string;
    timeoutMs: number;
  };
  /** National subsidy (国补) sync: the merchant's side of every sync body. */
  govSubsidy: {
    enabled: boolean;
    sellerName: string;
    licenseNumber: string;
    merchantName: string;
    saleModel: 'SALE_MODEL_ONLINE' | 'SALE_MODEL_OFFLINE';
    subMchId?: string;
  };
  outbox: { enabled: boolean; maxAttempts: number; pollIntervalMs: number; ratePerSecond: number; burst: number };
  /**
   * Mini-program shipping management (发货信息管理): `enabled` uploads shipping info to WeChat;
   * `paymentGraceSeconds`: how long 10060001 (payment not visible yet) is retried;
   * `messagePushToken`: the message-push Token (null = the endpoint answers 404).
   */
  shipping: { enabled: boolean; paymentGraceSeconds: number; messagePushToken: string | null };
  /** Bearer token of the admin endpoints; null = they answer 401. */
  /** Daily reconciliation against WeChat Pay's trade bill. */
  reconciliation: { enabled: boolean; intervalMs: number; readyHour: number; lookbackDays: number; retryMs: number };
  adminToken: string | null;
  /** Whether the 1-fen test product (`test-1fen`) is listed and can be ordered: development only. */
  catalogTestProduct: boolean;
  /** Bearer token of GET /metrics; null = open (bind HOST to a private interface then). */
  metricsToken: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
}

const demoSellerName = '示例电器销售有限公司';
const demoLicenseNumber = '91440300MA5F000000';
const devSessionSecret = 'dev-session-secret-not-for-production-0001';
const devPiiKey = 'dev-pii-key-not-for-production-0001';
const emulatorUrl = 'http://127.0.0.1:3100';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false'])
    .default(fallback ? '1' : '0')
    .transform((value) => value === '1' || value === 'true');

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(3000).pipe(z.number().max(65535)),
  WXPAY_NOTIFY_URL: z
    .url()
    .refine((url) => !url.includes('?') && !url.includes('#'), 'WXPAY_NOTIFY_URL must not carry a query string or fragment (WeChat Pay does not keep it)')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)')
    .optional(),
  DATABASE_POOL_SIZE: int(10, 1),
  SQLITE_PATH: z.string().min(1).default('./.data/bff.sqlite'),
  // FULL: a commit acknowledged to WeChat Pay survives power loss. NORMAL is faster but may lose it.
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL'], 'SQLITE_SYNCHRONOUS must be FULL or NORMAL').default('FULL'),
  // Page cache per SQLite connection (writer and reader). With better-sqlite3's 16 MB, index pages
  // of a year of orders kept being read again through system calls: the first delivery of a
  // notification lost a quarter of its speed at a million orders. Used only as pages are read.
  SQLITE_CACHE_MIB: int(64, 1),
  WXPAY_MCH_BASE_URL: z.url().default(emulatorUrl),
  WXPAY_API_BASE_URL: z.url().default(emulatorUrl),
  WXPAY_APP_ID: z.string().min(1).default(devMerchant.appId),
  WXPAY_APP_SECRET: z.string().min(1).default(devMerchant.appSecret),
  WXPAY_MCH_ID: z.string().min(1).default(devMerchant.mchId),
  WXPAY_API_KEY: z.string().length(32, 'WXPAY_API_KEY must be the 32-character APIv2 key').default(devMerchant.apiKey),
  WXPAY_SIGN_TYPE: z.enum(['MD5', 'HMAC-SHA256']).default('HMAC-SHA256'),
  WXPAY_TIMEOUT_MS: int(10_000, 100),
  WXPAY_MAX_ATTEMPTS: int(3, 1).pipe(z.number().max(10)),
  WXPAY_RETRY_BASE_MS: int(200),
  WXPAY_SPBILL_CREATE_IP: z.union([z.ipv4(), z.ipv6()]).default('127.0.0.1'),
  // unifiedorder settings the merchant sets once; each is left out of the request when unset.
  WXPAY_DEVICE_INFO: z.string().regex(/^[\x21-\x7e]{1,32}$/, 'WXPAY_DEVICE_INFO must be 1-32 printable ASCII characters (device_info is String(32))').optional(),
  WXPAY_LIMIT_PAY: z.enum(['no_credit'], 'WXPAY_LIMIT_PAY must be no_credit (or unset)').optional(),
  WXPAY_RECEIPT: z.enum(['Y'], 'WXPAY_RECEIPT must be Y (or unset); it needs 电子发票 enabled on the merchant platform').optional(),
  WXPAY_PROFIT_SHARING: z.enum(['Y', 'N'], 'WXPAY_PROFIT_SHARING must be Y or N, upper case (or unset)').optional(),
  WXPAY_SCENE_INFO: z.string().optional(),
  WXPAY_SINGLE_ITEM_DISCOUNT: flag(false),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').default(devSessionSecret),
  SESSION_TTL_SECONDS: int(2 * 3600, 60),
  PII_ENCRYPTION_KEY: z.string().min(32, 'PII_ENCRYPTION_KEY must be at least 32 characters').default(devPiiKey),
  CORS_ORIGINS: z.string().default('http://127.0.0.1:3200,http://localhost:3200'),
  TRUST_PROXY: flag(false),
  RATE_LIMIT_WINDOW_MS: int(60_000, 1),
  RATE_LIMIT_MAX: int(300, 1),
  LOGIN_RATE_LIMIT_WINDOW_MS: int(60_000, 1),
  LOGIN_RATE_LIMIT_MAX: int(20, 1),
  LOGIN_BUDGET_WINDOW_MS: int(60_000, 1000),
  LOGIN_BUDGET_MAX: int(500, 1),
  // At most a wx.login code's own lifetime (5 minutes).
  LOGIN_CODE_CACHE_TTL_SECONDS: int(60).pipe(z.number().max(300)),
  JSON_BODY_LIMIT_BYTES: int(16 * 1024, 256),
  NOTIFY_BODY_LIMIT_BYTES: int(64 * 1024, 1024),
  HTTP_REQUEST_TIMEOUT_MS: int(30_000, 500),
  ORDER_BODY_PREFIX: z.string().min(1).max(20).default(devMerchant.merchantName),
  // Unset: on against the emulator (development, tests), off against the real WeChat Pay.
  CATALOG_TEST_PRODUCT: z.enum(['1', '0', 'true', 'false']).optional(),
  ORDER_PAYMENT_WINDOW_SECONDS: int(30 * 60, 360),
  ORDER_QUERY_AFTER_SECONDS: int(5),
  ORDER_REQUERY_INTERVAL_SECONDS: int(3),
  SUBSIDY_FIRST_LEVEL_BP: int(2000).pipe(z.number().max(9999)),
  SUBSIDY_SECOND_LEVEL_BP: int(1500).pipe(z.number().max(9999)),
  SUBSIDY_UNKNOWN_GRADE_BP: int(0).pipe(z.number().max(9999)),
  SUBSIDY_CAP_PER_UNIT_FEN: int(2000_00),
  SUBSIDY_MAX_UNITS_PER_ORDER: int(1, 1).pipe(z.number().max(99)),
  SWEEPER_ENABLED: flag(true),
  SWEEPER_INTERVAL_MS: int(15_000, 100),
  SWEEPER_QUERY_AFTER_SECONDS: int(60),
  SWEEPER_REQUERY_INTERVAL_SECONDS: int(60),
  SWEEPER_BATCH_SIZE: int(50, 1),
  WXPAY_REPORT_LEVEL: z
    .enum(['0', '1', '2'])
    .default('1')
    .transform((level) => Number(level) as 0 | 1 | 2),
  // payitil/report user_ip is String(16): an IPv4 address; an IPv6 one does not fit.
  WXPAY_REPORT_USER_IP: z.ipv4('WXPAY_REPORT_USER_IP must be an IPv4 address (payitil/report user_ip is String(16))').optional(),
  WXPAY_REPORT_QUEUE_CAPACITY: int(1000, 1),
  WXPAY_REPORT_CONCURRENCY: int(4, 1).pipe(z.number().max(64)),
  WXPAY_REPORT_TIMEOUT_MS: int(1000, 100),
  WXPAY_MERCHANT_SERIAL_NO: z.string().regex(/^[0-9A-Fa-f]{8,40}$/, 'WXPAY_MERCHANT_SERIAL_NO must be the API certificate serial (hex)').default(devMerchant.merchantSerialNo),
  WXPAY_MERCHANT_PRIVATE_KEY_PATH: z.string().min(1).optional(),
  WXPAY_PUBLIC_KEY_ID: z.string().min(1).default(devMerchant.platformPublicKeyId),
  WXPAY_PUBLIC_KEY_PATH: z.string().min(1).optional(),
  WXPAY_V3_TIMEOUT_MS: int(10_000, 100),
  GOV_SUBSIDY_SYNC_ENABLED: flag(true),
  GOV_SUBSIDY_SELLER_NAME: z.string().min(1).default(demoSellerName),
  GOV_SUBSIDY_LICENSE_NUMBER: z.string().min(1).default(demoLicenseNumber),
  GOV_SUBSIDY_MCH_NAME: z.string().min(1).default(devMerchant.merchantName),
  GOV_SUBSIDY_SALE_MODEL: z.enum(['SALE_MODEL_ONLINE', 'SALE_MODEL_OFFLINE']).default('SALE_MODEL_ONLINE'),
  GOV_SUBSIDY_SUB_MCHID: z.string().min(1).optional(),
  OUTBOX_ENABLED: flag(true),
  OUTBOX_MAX_ATTEMPTS: int(12, 1),
  OUTBOX_POLL_INTERVAL_MS: int(1000, 10),
  // rate + burst ≤ 100: at most 100 gov sync requests in any second from this process.
  OUTBOX_RATE_PER_SECOND: int(95, 1).pipe(z.number().max(100)),
  OUTBOX_BURST: int(5, 1).pipe(z.number().max(100)),
  WXPAY_SECAPI_BASE_URL: z.url().optional(),
  WXPAY_API_CLIENT_CERT_PATH: z.string().min(1).optional(),
  WXPAY_API_CLIENT_KEY_PATH: z.string().min(1).optional(),
  WXPAY_API_CLIENT_P12_PATH: z.string().min(1).optional(),
  WXPAY_API_CLIENT_P12_PASSPHRASE: z.string().min(1).optional(),
  WXPAY_CA_PATH: z.string().min(1).optional(),
  WXPAY_REFUND_NOTIFY_URL: z
    .url()
    .refine((url) => !url.includes('?'), 'WXPAY_REFUND_NOTIFY_URL must not carry a query string')
    .optional(),
  REFUND_QUERY_AFTER_SECONDS: int(60, 1),
  REFUND_ANOMALIES: z.enum(['automatic', 'hold']).default('automatic'),
  REFUND_ANOMALY_REASON: z.string().min(1).max(80).default('订单重复支付或已关闭，款项原路退回'),
  RECONCILIATION_ENABLED: flag(true),
  RECONCILIATION_INTERVAL_MS: int(600_000, 1000),
  // WeChat Pay starts building a day's bill at 09:00 the next day and advises fetching after 10:00 (Beijing).
  RECONCILIATION_READY_HOUR: int(10, 0).pipe(z.number().max(23)),
  RECONCILIATION_LOOKBACK_DAYS: int(3, 1).pipe(z.number().max(90)),
  RECONCILIATION_RETRY_MS: int(1_800_000, 1000),
  SHIPPING_UPLOAD_ENABLED: flag(true),
  SHIPPING_PAYMENT_GRACE_SECONDS: int(600, 10).pipe(z.number().max(86_400)),
  // The Token set in the mini-program console's message push (消息推送): 3–32 letters and digits.
  WECHAT_MESSAGE_PUSH_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{3,32}$/, 'WECHAT_MESSAGE_PUSH_TOKEN must be 3–32 letters or digits (as the mini-program console allows)')
    .optional(),
  ADMIN_TOKEN: z.string().min(32, 'ADMIN_TOKEN must be at least 32 characters').optional(),
  METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100),
});

export type BffEnv = Partial<Record<keyof z.input<typeof envSchema>, string>>;

/** WXPAY_SCENE_INFO: the shop as JSON `{"id","name","area_code","address"}`, checked against scene_info's table. */
function sceneInfo(text: string): NonNullable<MerchantOrderFields['sceneInfo']> {
  let shop: unknown;
  try {
    shop = JSON.parse(text);
  } catch {
    throw new ConfigError('invalid configuration: WXPAY_SCENE_INFO must be JSON {"id","name","area_code","address"} of the shop');
  }
  if (typeof shop !== 'object' || shop === null || Array.isArray(shop)) {
    throw new ConfigError('invalid configuration: WXPAY_SCENE_INFO must be a JSON object {"id","name","area_code","address"}');
  }
  const { id, name, area_code: areaCode, address, ...extra } = shop as Record<string, unknown>;
  const unknown = Object.keys(extra);
  if (unknown.length > 0) throw new ConfigError(`invalid configuration: WXPAY_SCENE_INFO has members other than id, name, area_code, address: ${unknown.join(', ')}`);
  const storeInfo = { id, name, areaCode, address } as NonNullable<MerchantOrderFields['sceneInfo']>['storeInfo'];
  try {
    serializeSceneInfo({ storeInfo });
  } catch (error) {
    // The protocol's message names the member and its limit, never the value.
    if (error instanceof WxPayValidationError) throw new ConfigError(`invalid configuration: WXPAY_SCENE_INFO: ${error.message}`);
    throw error;
  }
  return { storeInfo };
}

function merchantOrderFields(e: ParsedEnv): MerchantOrderFields {
  return {
    ...(e.WXPAY_DEVICE_INFO === undefined ? {} : { deviceInfo: e.WXPAY_DEVICE_INFO }),
    ...(e.WXPAY_LIMIT_PAY === undefined ? {} : { limitPay: e.WXPAY_LIMIT_PAY }),
    ...(e.WXPAY_RECEIPT === undefined ? {} : { receipt: e.WXPAY_RECEIPT }),
    ...(e.WXPAY_PROFIT_SHARING === undefined ? {} : { profitSharing: e.WXPAY_PROFIT_SHARING }),
    ...(e.WXPAY_SCENE_INFO === undefined ? {} : { sceneInfo: sceneInfo(e.WXPAY_SCENE_INFO) }),
  };
}

/** Reads and validates the environment (default: process.env). Throws ConfigError naming the variables. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): BffConfig {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')));
  if (!parsed.success) {
    // Name the variable and the rule, never the value (it may be a key).
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.OUTBOX_RATE_PER_SECOND + e.OUTBOX_BURST > 100) {
    throw new ConfigError('invalid configuration: OUTBOX_RATE_PER_SECOND + OUTBOX_BURST must not exceed 100 (WeChat Pay allows 100 gov sync requests per second)');
  }
  const reportUserIp = e.WXPAY_REPORT_USER_IP ?? e.WXPAY_SPBILL_CREATE_IP;
  if (e.WXPAY_REPORT_LEVEL > 0 && isIPv4(reportUserIp) === false) {
    throw new ConfigError(
      'invalid configuration: WXPAY_REPORT_USER_IP: payitil/report user_ip is String(16) and WXPAY_SPBILL_CREATE_IP (its default) is an IPv6 address; set WXPAY_REPORT_USER_IP to this server\'s IPv4 address (or WXPAY_REPORT_LEVEL=0)',
    );
  }
  const secapi = secapiConfig(e);
  const config: BffConfig = {
    host: e.HOST,
    port: e.PORT,
    notifyUrl: e.WXPAY_NOTIFY_URL ?? null,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE } : { kind: 'sqlite', path: e.SQLITE_PATH, synchronous: e.SQLITE_SYNCHRONOUS, cacheMib: e.SQLITE_CACHE_MIB },
    wxpay: {
      mchBaseUrl: e.WXPAY_MCH_BASE_URL,
      apiBaseUrl: e.WXPAY_API_BASE_URL,
      appId: e.WXPAY_APP_ID,
      appSecret: e.WXPAY_APP_SECRET,
      mchId: e.WXPAY_MCH_ID,
      apiKey: e.WXPAY_API_KEY,
      signType: e.WXPAY_SIGN_TYPE,
      timeoutMs: e.WXPAY_TIMEOUT_MS,
      maxAttempts: e.WXPAY_MAX_ATTEMPTS,
      retryBaseDelayMs: e.WXPAY_RETRY_BASE_MS,
      spbillCreateIp: e.WXPAY_SPBILL_CREATE_IP,
    },
    secapi,
    refundNotifyUrl: e.WXPAY_REFUND_NOTIFY_URL ?? null,
    session: { secret: e.SESSION_SECRET, ttlSeconds: e.SESSION_TTL_SECONDS },
    piiKey: e.PII_ENCRYPTION_KEY,
    cors: {
      origins: e.CORS_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
    trustProxy: e.TRUST_PROXY,
    rateLimit: { windowMs: e.RATE_LIMIT_WINDOW_MS, max: e.RATE_LIMIT_MAX },
    login: {
      rateLimit: { windowMs: e.LOGIN_RATE_LIMIT_WINDOW_MS, max: e.LOGIN_RATE_LIMIT_MAX },
      budget: { windowMs: e.LOGIN_BUDGET_WINDOW_MS, max: e.LOGIN_BUDGET_MAX },
      codeCacheTtlMs: e.LOGIN_CODE_CACHE_TTL_SECONDS * 1000,
    },
    bodyLimits: { jsonBytes: e.JSON_BODY_LIMIT_BYTES, notifyBytes: e.NOTIFY_BODY_LIMIT_BYTES },
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    orders: {
      merchantOrderFields: merchantOrderFields(e),
      singleItemDiscount: e.WXPAY_SINGLE_ITEM_DISCOUNT,
      orderBodyPrefix: e.ORDER_BODY_PREFIX,
      paymentWindowSeconds: e.ORDER_PAYMENT_WINDOW_SECONDS,
      prepayLifetimeSeconds: PREPAY_ID_LIFETIME_SECONDS,
      prepayRenewMarginSeconds: 5 * 60,
      queryAfterSeconds: e.ORDER_QUERY_AFTER_SECONDS,
      requeryIntervalSeconds: e.ORDER_REQUERY_INTERVAL_SECONDS,
      closeFloorSeconds: CLOSE_ORDER_MIN_AGE_SECONDS,
      subsidy: {
        basisPointsByGrade: { FIRST_LEVEL: e.SUBSIDY_FIRST_LEVEL_BP, SECOND_LEVEL: e.SUBSIDY_SECOND_LEVEL_BP, ENERGY_GRADE_UNKNOWN: e.SUBSIDY_UNKNOWN_GRADE_BP },
        capPerUnitFen: e.SUBSIDY_CAP_PER_UNIT_FEN,
        maxUnitsPerOrder: e.SUBSIDY_MAX_UNITS_PER_ORDER,
      },
      refunds: { queryAfterSeconds: e.REFUND_QUERY_AFTER_SECONDS, anomalies: e.REFUND_ANOMALIES, anomalyReason: e.REFUND_ANOMALY_REASON },
    },
    sweeper: {
      enabled: e.SWEEPER_ENABLED,
      intervalMs: e.SWEEPER_INTERVAL_MS,
      queryAfterSeconds: e.SWEEPER_QUERY_AFTER_SECONDS,
      requeryIntervalSeconds: e.SWEEPER_REQUERY_INTERVAL_SECONDS,
      batchSize: e.SWEEPER_BATCH_SIZE,
      leaseSeconds: 60,
    },
    wxpayReport: {
      level: e.WXPAY_REPORT_LEVEL,
      userIp: reportUserIp,
      queueCapacity: e.WXPAY_REPORT_QUEUE_CAPACITY,
      concurrency: e.WXPAY_REPORT_CONCURRENCY,
      timeoutMs: e.WXPAY_REPORT_TIMEOUT_MS,
    },
    wxpayV3: {
      merchantSerialNo: e.WXPAY_MERCHANT_SERIAL_NO.toUpperCase(),
      merchantPrivateKeyPem: e.WXPAY_MERCHANT_PRIVATE_KEY_PATH ? readPem('WXPAY_MERCHANT_PRIVATE_KEY_PATH', e.WXPAY_MERCHANT_PRIVATE_KEY_PATH) : devMerchant.merchantPrivateKeyPem,
      publicKeyId: e.WXPAY_PUBLIC_KEY_ID,
      publicKeyPem: e.WXPAY_PUBLIC_KEY_PATH ? readPem('WXPAY_PUBLIC_KEY_PATH', e.WXPAY_PUBLIC_KEY_PATH) : devMerchant.platformPublicKeyPem,
      timeoutMs: e.WXPAY_V3_TIMEOUT_MS,
    },
    govSubsidy: {
      enabled: e.GOV_SUBSIDY_SYNC_ENABLED,
      sellerName: e.GOV_SUBSIDY_SELLER_NAME,
      licenseNumber: e.GOV_SUBSIDY_LICENSE_NUMBER,
      merchantName: e.GOV_SUBSIDY_MCH_NAME,
      saleModel: e.GOV_SUBSIDY_SALE_MODEL,
      ...(e.GOV_SUBSIDY_SUB_MCHID ? { subMchId: e.GOV_SUBSIDY_SUB_MCHID } : {}),
    },
    outbox: {
      enabled: e.OUTBOX_ENABLED,
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      pollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS,
      ratePerSecond: e.OUTBOX_RATE_PER_SECOND,
      burst: e.OUTBOX_BURST,
    },
    reconciliation: {
      enabled: e.RECONCILIATION_ENABLED,
      intervalMs: e.RECONCILIATION_INTERVAL_MS,
      readyHour: e.RECONCILIATION_READY_HOUR,
      lookbackDays: e.RECONCILIATION_LOOKBACK_DAYS,
      retryMs: e.RECONCILIATION_RETRY_MS,
    },
    shipping: {
      enabled: e.SHIPPING_UPLOAD_ENABLED,
      paymentGraceSeconds: e.SHIPPING_PAYMENT_GRACE_SECONDS,
      messagePushToken: e.WECHAT_MESSAGE_PUSH_TOKEN ?? null,
    },
    adminToken: e.ADMIN_TOKEN ?? null,
    catalogTestProduct:
      e.CATALOG_TEST_PRODUCT === undefined
        ? !(isRealWeChatHost(e.WXPAY_MCH_BASE_URL) || isRealWeChatHost(e.WXPAY_API_BASE_URL))
        : e.CATALOG_TEST_PRODUCT === '1' || e.CATALOG_TEST_PRODUCT === 'true',
    metricsToken: e.METRICS_TOKEN ?? null,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
  assertSafeConfig(config);
  return config;
}

type ParsedEnv = z.output<typeof envSchema>;

/** The emulator's HTTPS listener (its default secure port) when the pay host is the plain-HTTP emulator. */
const emulatorSecapiUrl = 'https://127.0.0.1:3101';

function secapiConfig(e: ParsedEnv): BffConfig['secapi'] {
  const pem = e.WXPAY_API_CLIENT_CERT_PATH !== undefined || e.WXPAY_API_CLIENT_KEY_PATH !== undefined;
  if (pem && e.WXPAY_API_CLIENT_P12_PATH !== undefined) throw new ConfigError('invalid configuration: set WXPAY_API_CLIENT_CERT_PATH + WXPAY_API_CLIENT_KEY_PATH or WXPAY_API_CLIENT_P12_PATH, not both');
  if (pem && (e.WXPAY_API_CLIENT_CERT_PATH === undefined || e.WXPAY_API_CLIENT_KEY_PATH === undefined)) {
    throw new ConfigError('invalid configuration: WXPAY_API_CLIENT_CERT_PATH and WXPAY_API_CLIENT_KEY_PATH go together');
  }
  let source: MerchantCertificateSource;
  if (e.WXPAY_API_CLIENT_P12_PATH !== undefined) source = { kind: 'p12', path: e.WXPAY_API_CLIENT_P12_PATH, passphrase: e.WXPAY_API_CLIENT_P12_PASSPHRASE ?? e.WXPAY_MCH_ID };
  else if (pem) source = { kind: 'pem', certPath: e.WXPAY_API_CLIENT_CERT_PATH!, keyPath: e.WXPAY_API_CLIENT_KEY_PATH! };
  else source = { kind: 'inline', certPem: devTls.merchantCertPem, keyPem: devTls.merchantKeyPem };
  let certificate;
  try {
    certificate = loadMerchantCertificate(source, new Date());
  } catch (error) {
    if (error instanceof MerchantCertificateError) throw new ConfigError(`invalid configuration: ${error.message}`);
    throw error;
  }
  const baseUrl = e.WXPAY_SECAPI_BASE_URL ?? (e.WXPAY_MCH_BASE_URL.startsWith('https://') ? e.WXPAY_MCH_BASE_URL : emulatorSecapiUrl);
  const caPem = e.WXPAY_CA_PATH !== undefined ? readPem('WXPAY_CA_PATH', e.WXPAY_CA_PATH) : isRealWeChatHost(baseUrl) ? null : devTls.caCertPem;
  return { baseUrl, credentials: certificate.credentials, caPem, devCertificate: source.kind === 'inline' };
}

/** A PEM file named by an env variable; errors name the variable, never the content. */
function readPem(variable: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`invalid configuration: ${variable}: file cannot be read`);
  }
  if (!/-----BEGIN [A-Z ]+-----/.test(text)) throw new ConfigError(`invalid configuration: ${variable}: not a PEM file`);
  return text;
}

const realHosts = ['weixin.qq.com', 'wechatpay.cn'];

function isRealWeChatHost(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return realHosts.some((real) => host === real || host.endsWith(`.${real}`));
}

/**
 * Refuses configurations that would take real money unsafely: the repository's test keys or dev
 * secrets against the real WeChat hosts, or plain HTTP to them.
 */
export function assertSafeConfig(config: BffConfig): void {
  const { wxpay } = config;
  const real = isRealWeChatHost(wxpay.mchBaseUrl) || isRealWeChatHost(wxpay.apiBaseUrl) || isRealWeChatHost(config.secapi.baseUrl);
  if (!real) return;
  const problems: string[] = [];
  if (wxpay.apiKey === devMerchant.apiKey) problems.push('WXPAY_API_KEY is the development test key');
  if (wxpay.mchId === devMerchant.mchId) problems.push('WXPAY_MCH_ID is the development merchant');
  if (wxpay.appId === devMerchant.appId) problems.push('WXPAY_APP_ID is the development app');
  if (wxpay.appSecret === devMerchant.appSecret) problems.push('WXPAY_APP_SECRET is the development secret');
  if (config.session.secret === devSessionSecret) problems.push('SESSION_SECRET is the development default');
  if (config.piiKey === devPiiKey) problems.push('PII_ENCRYPTION_KEY is the development default');
  if (config.wxpayV3.merchantPrivateKeyPem === devMerchant.merchantPrivateKeyPem) problems.push('WXPAY_MERCHANT_PRIVATE_KEY_PATH is unset (development key)');
  if (config.secapi.devCertificate) problems.push('WXPAY_API_CLIENT_CERT_PATH/KEY_PATH or WXPAY_API_CLIENT_P12_PATH is unset (development certificate)');
  if (config.secapi.caPem === devTls.caCertPem) problems.push('WXPAY_CA_PATH is the development CA');
  if (config.refundNotifyUrl !== null && !config.refundNotifyUrl.startsWith('https://')) problems.push('WXPAY_REFUND_NOTIFY_URL must use https');
  if (config.wxpayV3.merchantSerialNo === devMerchant.merchantSerialNo) problems.push('WXPAY_MERCHANT_SERIAL_NO is the development serial');
  if (config.wxpayV3.publicKeyId === devMerchant.platformPublicKeyId) problems.push('WXPAY_PUBLIC_KEY_ID is the development key id');
  if (config.wxpayV3.publicKeyPem === devMerchant.platformPublicKeyPem) problems.push('WXPAY_PUBLIC_KEY_PATH is unset (development key)');
  if (config.govSubsidy.enabled) {
    if (config.govSubsidy.sellerName === demoSellerName) problems.push('GOV_SUBSIDY_SELLER_NAME is the demo seller');
    if (config.govSubsidy.licenseNumber === demoLicenseNumber) problems.push('GOV_SUBSIDY_LICENSE_NUMBER is the demo licence');
    if (config.govSubsidy.merchantName === devMerchant.merchantName) problems.push('GOV_SUBSIDY_MCH_NAME is the demo merchant');
  }
  // Anyone who knows the push Token can forge a receipt confirmation: a short one is guessable.
  if (config.shipping.messagePushToken !== null && config.shipping.messagePushToken.length < 16) problems.push('WECHAT_MESSAGE_PUSH_TOKEN must be at least 16 characters');
  // GET /metrics shows order and payment volumes; in production it needs its own token.
  if (config.metricsToken === null) problems.push('METRICS_TOKEN is unset (GET /metrics would be public)');
  // Unset, the notify_url is this process's bound address (loopback by default): WeChat Pay cannot reach it.
  if (config.notifyUrl === null) problems.push('WXPAY_NOTIFY_URL is unset (the public HTTPS URL WeChat Pay posts results to)');
  else if (!config.notifyUrl.startsWith('https://')) problems.push('WXPAY_NOTIFY_URL must use https');
  for (const [name, url] of [
    ['WXPAY_MCH_BASE_URL', wxpay.mchBaseUrl],
    ['WXPAY_API_BASE_URL', wxpay.apiBaseUrl],
    ['WXPAY_SECAPI_BASE_URL', config.secapi.baseUrl],
  ] as const) {
    if (isRealWeChatHost(url) && !url.startsWith('https://')) problems.push(`${name} must use https`);
  }
  if (problems.length > 0) throw new ConfigError(`refusing to start against the real WeChat Pay: ${problems.join('; ')}`);
}
