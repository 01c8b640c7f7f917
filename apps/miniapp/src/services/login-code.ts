import { z } from 'zod/mini';
import { ApiError } from './api-error';
import type { HttpTransport } from './http-transport';
import type { Platform } from '../env';

const emulatorLoginCodeSchema = z.object({ code: z.string().check(z.minLength(1)) });

export interface LoginCodeDeps {
  platform: Platform;
  appId: string;
  /** H5 dev only. */
  emulatorUrl: string | null;
  /** Taro.login (weapp). */
  wxLogin: () => Promise<{ code?: string; errMsg?: string }>;
  transport: HttpTransport;
}

/**
 * Where single-use login codes come from. weapp: wx.login. H5 has no wx.login: in development a
 * code is issued by the WeChat Pay emulator (only when TARO_APP_EMULATOR_URL is set); otherwise the
 * H5 build cannot log in at all.
 */
export function createLoginCodeSource({ platform, appId, emulatorUrl, wxLogin, transport }: LoginCodeDeps): () => Promise<string> {
  if (platform === 'weapp') {
    return async () => {
      let result: { code?: string; errMsg?: string };
      try {
        result = await wxLogin();
      } catch (cause) {
        throw new ApiError('LOGIN_FAILED', '微信登录失败，请稍后重试', { cause });
      }
      if (!result.code) throw new ApiError('LOGIN_FAILED', '微信登录失败，请稍后重试');
      return result.code;
    };
  }
  if (emulatorUrl === null) {
    return () => Promise.reject(new ApiError('LOGIN_UNAVAILABLE', '请在微信中打开小程序登录'));
  }
  return async () => {
    let response;
    try {
      response = await transport({
        url: `${emulatorUrl}/__emulator/login-codes`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: { appId },
      });
    } catch (cause) {
      throw new ApiError('NETWORK_ERROR', '网络不可用，请检查网络后重试', { cause });
    }
    const parsed = emulatorLoginCodeSchema.safeParse(response.data);
    if (response.statusCode < 200 || response.statusCode >= 300 || !parsed.success) {
      throw new ApiError('LOGIN_FAILED', `模拟器登录失败 (HTTP ${response.statusCode})`, { status: response.statusCode });
    }
    return parsed.data.code;
  };
}
