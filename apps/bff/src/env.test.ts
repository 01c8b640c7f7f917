import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devMerchant, devTls } from '@checkout/protocol/testing';
import { ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('works with no env at all: emulator, dev merchant, SQLite, port 3000, H5 dev origins', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'sqlite', path: './.data/bff.sqlite', synchronous: 'FULL', cacheMib: 64 },
      wxpay: { mchBaseUrl: 'http://127.0.0.1:3100', apiBaseUrl: 'http://127.0.0.1:3100', appId: devMerchant.appId, mchId: devMerchant.mchId, apiKey: devMerchant.apiKey },
      cors: { origins: ['http://127.0.0.1:3200', 'http://localhost:3200'] },
      notifyUrl: null,
    });
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://bff@127.0.0.1:5432/bff' }).database).toEqual({ kind: 'postgres', url: 'postgres://bff@127.0.0.1:5432/bff', poolSize: 10 });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
  });

  it('refuses the development keys against the real WeChat Pay', () => {
    expect(() => loadConfig({ WXPAY_MCH_BASE_URL: 'https://api.mch.weixin.qq.com' })).toThrow(/refusing to start.*WXPAY_API_KEY is the development test key/);
    expect(() => loadConfig({ WXPAY_API_BASE_URL: 'https://api.weixin.qq.com' })).toThrow(ConfigError);
  });

  const keyDir = mkdtempSync(join(tmpdir(), 'bff-env-'));
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  const pem = (name: string, text: string): string => {
    const path = join(keyDir, name);
    writeFileSync(path, text);
    return path;
  };
  const pemKeys = () =>
    generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const merchantKeys = pemKeys();
  const platformKeys = pemKeys();
  /** Real-looking v2 credentials against the real hosts (no notify URL). */
  const realV2Hosts = {
    WXPAY_MCH_BASE_URL: 'https://api.mch.weixin.qq.com',
    WXPAY_API_BASE_URL: 'https://api.weixin.qq.com',
    WXPAY_APP_ID: 'wx1234567890abcdef',
    WXPAY_APP_SECRET: 'a-real-looking-app-secret-value-1',
    WXPAY_MCH_ID: '1234567890',
    WXPAY_API_KEY: 'R'.repeat(32),
    SESSION_SECRET: 's'.repeat(48),
    PII_ENCRYPTION_KEY: 'p'.repeat(48),
  };
  const realV3 = {
    WXPAY_MERCHANT_SERIAL_NO: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    WXPAY_MERCHANT_PRIVATE_KEY_PATH: pem('apiclient_key.pem', merchantKeys.privateKey),
    WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0112345678902025010100000000000001',
    WXPAY_PUBLIC_KEY_PATH: pem('pub_key.pem', platformKeys.publicKey),
    // A merchant API certificate that is not the repository's dev one (for /secapi refunds).
    WXPAY_API_CLIENT_CERT_PATH: pem('apiclient_cert.pem', devTls.otherMerchantCertPem),
    WXPAY_API_CLIENT_KEY_PATH: pem('apiclient_key_tls.pem', devTls.otherMerchantKeyPem),
    GOV_SUBSIDY_SELLER_NAME: '真实电器销售有限公司',
    GOV_SUBSIDY_LICENSE_NUMBER: '91110105MA01ABCD1X',
    GOV_SUBSIDY_MCH_NAME: '真实电器旗舰店',
    METRICS_TOKEN: 'a-real-looking-metrics-token-0000000001',
  };

  it('defaults the v3 side to the emulator: report failures only, dev v3 keys, gov sync and outbox on, admin disabled, metrics open', () => {
    const config = loadConfig({ WXPAY_SPBILL_CREATE_IP: '10.1.2.3' });
    expect(config.wxpayReport).toEqual({ level: 1, userIp: '10.1.2.3', queueCapacity: 1000, concurrency: 4, timeoutMs: 1000 });
    expect(config.wxpayV3).toMatchObject({ merchantSerialNo: devMerchant.merchantSerialNo, publicKeyId: devMerchant.platformPublicKeyId, merchantPrivateKeyPem: devMerchant.merchantPrivateKeyPem });
    expect(config.govSubsidy).toMatchObject({ enabled: true, saleModel: 'SALE_MODEL_ONLINE' });
    expect(config.outbox).toEqual({ enabled: true, maxAttempts: 12, pollIntervalMs: 1000, ratePerSecond: 95, burst: 5 });
    expect(config.adminToken).toBeNull();
    expect(config.metricsToken).toBeNull();
    expect(loadConfig({ WXPAY_REPORT_LEVEL: '2', WXPAY_REPORT_USER_IP: '192.0.2.7' }).wxpayReport).toMatchObject({ level: 2, userIp: '192.0.2.7' });
    expect(() => loadConfig({ WXPAY_REPORT_LEVEL: '3' })).toThrow(/WXPAY_REPORT_LEVEL/);
  });

  it('refuses a payitil/report user_ip that is not IPv4 (String(16)) when the config is loaded', () => {
    expect(() => loadConfig({ WXPAY_REPORT_USER_IP: '2001:db8:85a3::8a2e:370:7334' })).toThrow(/WXPAY_REPORT_USER_IP must be an IPv4 address \(payitil\/report user_ip is String\(16\)\)/);
    expect(() => loadConfig({ WXPAY_REPORT_USER_IP: '10.1.2.3.4.5.6.7.8' })).toThrow(ConfigError);
    // An IPv6 spbill_create_ip is fine for unifiedorder, but cannot be the report's user_ip.
    expect(() => loadConfig({ WXPAY_SPBILL_CREATE_IP: '2001:db8::1' })).toThrow(/WXPAY_SPBILL_CREATE_IP \(its default\) is an IPv6 address; set WXPAY_REPORT_USER_IP/);
    expect(loadConfig({ WXPAY_SPBILL_CREATE_IP: '2001:db8::1', WXPAY_REPORT_USER_IP: '203.0.113.9' }).wxpayReport.userIp).toBe('203.0.113.9');
    expect(loadConfig({ WXPAY_SPBILL_CREATE_IP: '2001:db8::1', WXPAY_REPORT_LEVEL: '0' }).wxpay.spbillCreateIp).toBe('2001:db8::1');
  });

  it('lists the 1-fen test product against the emulator only, unless CATALOG_TEST_PRODUCT says otherwise', () => {
    expect(loadConfig({}).catalogTestProduct).toBe(true);
    expect(loadConfig({ CATALOG_TEST_PRODUCT: '0' }).catalogTestProduct).toBe(false);
    const real = { ...realV3, ...realV2Hosts, WXPAY_NOTIFY_URL: 'https://shop.example.com/wxpay/notify' };
    expect(loadConfig(real).catalogTestProduct).toBe(false);
    expect(loadConfig({ ...real, CATALOG_TEST_PRODUCT: '1' }).catalogTestProduct).toBe(true);
    expect(() => loadConfig({ CATALOG_TEST_PRODUCT: 'yes' })).toThrow(/CATALOG_TEST_PRODUCT/);
  });

  it('reads the merchant unifiedorder settings, each left out when unset', () => {
    expect(loadConfig({}).orders).toMatchObject({ merchantOrderFields: {}, singleItemDiscount: false });
    const shop = { id: 'SZ-001', name: '示例电器深圳店', area_code: '440305', address: '科技园中一路 1 号' };
    const config = loadConfig({
      WXPAY_DEVICE_INFO: 'POS-01',
      WXPAY_LIMIT_PAY: 'no_credit',
      WXPAY_RECEIPT: 'Y',
      WXPAY_PROFIT_SHARING: 'N',
      WXPAY_SCENE_INFO: JSON.stringify(shop),
      WXPAY_SINGLE_ITEM_DISCOUNT: '1',
    });
    expect(config.orders.merchantOrderFields).toEqual({
      deviceInfo: 'POS-01',
      limitPay: 'no_credit',
      receipt: 'Y',
      profitSharing: 'N',
      sceneInfo: { storeInfo: { id: 'SZ-001', name: '示例电器深圳店', areaCode: '440305', address: '科技园中一路 1 号' } },
    });
    expect(config.orders.singleItemDiscount).toBe(true);
  });

  it.each([
    ['WXPAY_DEVICE_INFO', 'POS 01'],
    ['WXPAY_DEVICE_INFO', 'x'.repeat(33)],
    ['WXPAY_LIMIT_PAY', 'NO_CREDIT_CARD'],
    ['WXPAY_RECEIPT', 'N'],
    ['WXPAY_PROFIT_SHARING', 'y'],
    ['WXPAY_SINGLE_ITEM_DISCOUNT', 'yes'],
    ['WXPAY_SCENE_INFO', '{"id":"S1","name":'],
    ['WXPAY_SCENE_INFO', '["S1"]'],
    ['WXPAY_SCENE_INFO', '{"id":"S1","name":"店","area_code":"4403","address":"路"}'],
    ['WXPAY_SCENE_INFO', `{"id":"S1","name":"${'店'.repeat(22)}","area_code":"440305","address":"路"}`],
    ['WXPAY_SCENE_INFO', '{"id":"S1","name":"店","area_code":"440305"}'],
    ['WXPAY_SCENE_INFO', '{"id":"S1","name":"店","area_code":"440305","address":"路","phone":"13800138000"}'],
  ])('refuses a bad %s, naming the variable and never the value', (name, value) => {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain(value);
  });

  it('keeps the outbox within 100 gov sync requests per second and tokens long', () => {
    expect(() => loadConfig({ OUTBOX_RATE_PER_SECOND: '99', OUTBOX_BURST: '5' })).toThrow(/OUTBOX_RATE_PER_SECOND \+ OUTBOX_BURST/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('limits logins tighter than the API, budgets jscode2session below the emulator quota, caches codes at most their lifetime', () => {
    expect(loadConfig({}).login).toEqual({ rateLimit: { windowMs: 60_000, max: 20 }, budget: { windowMs: 60_000, max: 500 }, codeCacheTtlMs: 60_000 });
    expect(loadConfig({ LOGIN_RATE_LIMIT_MAX: '5', LOGIN_BUDGET_MAX: '90', LOGIN_CODE_CACHE_TTL_SECONDS: '0' }).login).toMatchObject({ rateLimit: { max: 5 }, budget: { max: 90 }, codeCacheTtlMs: 0 });
    expect(() => loadConfig({ LOGIN_CODE_CACHE_TTL_SECONDS: '301' })).toThrow(/LOGIN_CODE_CACHE_TTL_SECONDS/);
    expect(() => loadConfig({ LOGIN_BUDGET_MAX: '0' })).toThrow(/LOGIN_BUDGET_MAX/);
  });

  it('reads the v3 keys from PEM files and names an unreadable one without its content', () => {
    const config = loadConfig(realV3);
    expect(config.wxpayV3.merchantPrivateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(config.wxpayV3.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(() => loadConfig({ WXPAY_PUBLIC_KEY_PATH: join(keyDir, 'missing.pem') })).toThrow(/WXPAY_PUBLIC_KEY_PATH: file cannot be read/);
    expect(() => loadConfig({ WXPAY_MERCHANT_PRIVATE_KEY_PATH: pem('not-a-key.txt', 'hunter2') })).toThrow(/WXPAY_MERCHANT_PRIVATE_KEY_PATH: not a PEM file/);
  });

  it('refuses the development v3 keys and demo subsidy merchant against the real WeChat Pay', () => {
    const realV2 = { ...realV2Hosts, WXPAY_NOTIFY_URL: 'https://shop.example.com/wxpay/notify' };
    let message = '';
    try {
      loadConfig(realV2);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['WXPAY_MERCHANT_PRIVATE_KEY_PATH', 'WXPAY_MERCHANT_SERIAL_NO', 'WXPAY_PUBLIC_KEY_ID', 'WXPAY_PUBLIC_KEY_PATH', 'GOV_SUBSIDY_SELLER_NAME', 'GOV_SUBSIDY_LICENSE_NUMBER']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('BEGIN');
    // Sync off: the demo subsidy merchant does not matter, the v3 keys still do (they are not used, but must not be the dev ones).
    expect(() => loadConfig({ ...realV2, ...realV3, GOV_SUBSIDY_SELLER_NAME: undefined, GOV_SUBSIDY_SYNC_ENABLED: '0' })).not.toThrow();
  });

  it('accepts real credentials against the real hosts', () => {
    const config = loadConfig({ ...realV3, ...realV2Hosts, WXPAY_NOTIFY_URL: 'https://shop.example.com/wxpay/notify' });
    expect(config.wxpay.mchBaseUrl).toBe('https://api.mch.weixin.qq.com');
  });

  it('against the real hosts needs a public HTTPS notify URL; never one with a query string', () => {
    const real = { ...realV3, ...realV2Hosts };
    expect(() => loadConfig(real)).toThrow(/WXPAY_NOTIFY_URL is unset/);
    expect(() => loadConfig({ ...real, METRICS_TOKEN: undefined, WXPAY_NOTIFY_URL: 'https://shop.example.com/wxpay/notify' })).toThrow(/METRICS_TOKEN is unset/);
    expect(() => loadConfig({ ...real, WXPAY_NOTIFY_URL: 'http://shop.example.com/wxpay/notify' })).toThrow(/WXPAY_NOTIFY_URL must use https/);
    expect(() => loadConfig({ ...real, WXPAY_NOTIFY_URL: 'https://shop.example.com/wxpay/notify' })).not.toThrow();
    expect(() => loadConfig({ WXPAY_NOTIFY_URL: 'http://127.0.0.1:3000/wxpay/notify?shop=1' })).toThrow(/query string/);
  });

  it('shipping management: uploads on by default, push off until its Token is set; a short Token is refused against the real hosts', () => {
    expect(loadConfig({}).shipping).toEqual({ enabled: true, paymentGraceSeconds: 600, messagePushToken: null });
    expect(loadConfig({ WECHAT_MESSAGE_PUSH_TOKEN: 'abc', SHIPPING_UPLOAD_ENABLED: '0' }).shipping).toMatchObject({ enabled: false, messagePushToken: 'abc' });
    expect(() => loadConfig({ WECHAT_MESSAGE_PUSH_TOKEN: 'has space' })).toThrow(/WECHAT_MESSAGE_PUSH_TOKEN/);
    expect(() => loadConfig({ WECHAT_MESSAGE_PUSH_TOKEN: 'x'.repeat(33) })).toThrow(/WECHAT_MESSAGE_PUSH_TOKEN/);
    const real = { ...realV3, ...realV2Hosts, WXPAY_NOTIFY_URL: 'https://shop.example.com/wxpay/notify' };
    expect(() => loadConfig({ ...real, WECHAT_MESSAGE_PUSH_TOKEN: 'short123' })).toThrow(/WECHAT_MESSAGE_PUSH_TOKEN must be at least 16 characters/);
    expect(loadConfig({ ...real, WECHAT_MESSAGE_PUSH_TOKEN: 'a1B2c3D4e5F6g7H8' }).shipping.messagePushToken).toBe('a1B2c3D4e5F6g7H8');
  });

  it('names the bad variable without echoing its value', () => {
    const secretLooking = 'short-key-value-xyz';
    try {
      loadConfig({ WXPAY_API_KEY: secretLooking, PORT: 'abc' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('WXPAY_API_KEY');
      expect(message).toContain('PORT');
      expect(message).not.toContain(secretLooking);
    }
  });
});
