import { describe, expect, it } from 'vitest';
import { devMerchant } from '@checkout/protocol/testing';
import { ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('works with no env at all: emulator, dev merchant, SQLite, port 3000, H5 dev origins', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'sqlite', path: './.data/bff.sqlite' },
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

  it('accepts real credentials against the real hosts', () => {
    const config = loadConfig({
      WXPAY_MCH_BASE_URL: 'https://api.mch.weixin.qq.com',
      WXPAY_API_BASE_URL: 'https://api.weixin.qq.com',
      WXPAY_APP_ID: 'wx1234567890abcdef',
      WXPAY_APP_SECRET: 'a-real-looking-app-secret-value-1',
      WXPAY_MCH_ID: '1234567890',
      WXPAY_API_KEY: 'R'.repeat(32),
      SESSION_SECRET: 's'.repeat(48),
      PII_ENCRYPTION_KEY: 'p'.repeat(48),
    });
    expect(config.wxpay.mchBaseUrl).toBe('https://api.mch.weixin.qq.com');
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
