import { DomainError, ProviderUnavailableError } from '../domain/domain-error';
import type { WeChatLogin } from '../domain/session/wechat-login';

export interface Jscode2sessionConfig {
  /** https://api.weixin.qq.com, or the emulator. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
}

/**
 * GET /sns/jscode2session. Returns only the openid: the session_key is dropped here and never
 * stored, logged or returned. No retry: a code is single-use, so a retry after a lost answer
 * would only get "code been used".
 */
export class Jscode2sessionClient implements WeChatLogin {
  constructor(
    private readonly config: Jscode2sessionConfig,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
  ) {}

  async exchangeCode(code: string): Promise<{ openid: string }> {
    const url = new URL('/sns/jscode2session', this.config.baseUrl);
    url.search = new URLSearchParams({ appid: this.config.appId, secret: this.config.appSecret, js_code: code, grant_type: 'authorization_code' }).toString();
    let body: unknown;
    try {
      const response = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.config.timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      // The URL holds the AppSecret: never put it in the message.
      throw new ProviderUnavailableError('WeChat login (jscode2session) is unavailable', { cause: error instanceof Error ? new Error(error.message) : undefined });
    }
    if (typeof body !== 'object' || body === null) throw new ProviderUnavailableError('WeChat login answered with an unexpected body');
    const { openid, errcode } = body as { openid?: unknown; errcode?: unknown };
    if (typeof errcode === 'number' && errcode !== 0) {
      if (errcode === 40029 || errcode === 40163 || errcode === 40226) throw new DomainError('LOGIN_CODE_INVALID', 'the login code is invalid or was already used');
      if (errcode === 45011) throw new DomainError('LOGIN_RATE_LIMITED', 'too many login attempts, try again later');
      throw new ProviderUnavailableError(`WeChat login failed with errcode ${errcode}`);
    }
    if (typeof openid !== 'string' || openid.length === 0) throw new ProviderUnavailableError('WeChat login answered without an openid');
    return { openid };
  }
}
