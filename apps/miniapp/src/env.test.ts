import { describe, expect, it } from 'vitest';
import { ConfigError, parseAppConfig } from './env';

const weapp = { TARO_ENV: 'weapp', TARO_APP_API_BASE_URL: 'https://api.example.com/', TARO_APP_CASHIER_URL: '', TARO_APP_EMULATOR_URL: '', TARO_APP_APP_ID: 'wxdev0000000000001' };

describe('app config', () => {
  it('reads a weapp configuration; empty optional URLs mean "not configured"', () => {
    expect(parseAppConfig(weapp)).toEqual({ platform: 'weapp', apiBaseUrl: 'https://api.example.com', cashierUrl: null, emulatorUrl: null, appId: 'wxdev0000000000001' });
  });

  it('accepts same-origin paths for the H5 build behind the dev server', () => {
    const config = parseAppConfig({ ...weapp, TARO_ENV: 'h5', TARO_APP_API_BASE_URL: '/', TARO_APP_CASHIER_URL: '/cashier', TARO_APP_EMULATOR_URL: '/' });
    expect(config).toMatchObject({ platform: 'h5', apiBaseUrl: '', cashierUrl: '/cashier', emulatorUrl: '' });
  });

  it.each([
    [{ TARO_APP_API_BASE_URL: undefined }, 'TARO_APP_API_BASE_URL'],
    [{ TARO_APP_API_BASE_URL: 'api.example.com' }, 'TARO_APP_API_BASE_URL'],
    [{ TARO_APP_APP_ID: 'touristappid' }, 'TARO_APP_APP_ID'],
    [{ TARO_ENV: 'alipay' }, 'TARO_ENV'],
  ])('refuses %o naming the variable', (override, name) => {
    expect(() => parseAppConfig({ ...weapp, ...override })).toThrow(ConfigError);
    expect(() => parseAppConfig({ ...weapp, ...override })).toThrow(name);
  });
});
