import { AccessTokenUnavailableError, type AccessTokenIssuer, type IssuedAccessToken } from '../domain/access-token/access-token-issuer';
import { postWeChatJson } from './wechat-json-post';

export interface StableTokenConfig {
  /** https://api.weixin.qq.com, or the emulator. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
}

/**
 * `POST /cgi-bin/stable_token` (JSON; the AppSecret in the body, never in a URL or a message).
 * Kept apart from `/cgi-bin/token`, whose every call would invalidate the token other
 * instances hold.
 */
export class StableTokenClient implements AccessTokenIssuer {
  constructor(
    private readonly config: StableTokenConfig,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
  ) {}

  async issue(options: { forceRefresh: boolean }): Promise<IssuedAccessToken> {
    const url = new URL('/cgi-bin/stable_token', this.config.baseUrl);
    const answer = await postWeChatJson(
      this.fetchImpl,
      url,
      { grant_type: 'client_credential', appid: this.config.appId, secret: this.config.appSecret, force_refresh: options.forceRefresh },
      this.config.timeoutMs,
    );
    if (answer.kind === 'unavailable') throw new AccessTokenUnavailableError(answer.reason);
    const { access_token: token, expires_in: expiresIn, errcode } = answer.body;
    if (typeof errcode === 'number' && errcode !== 0) throw new AccessTokenUnavailableError(`STABLE_TOKEN_ERRCODE:${errcode}`);
    if (typeof token !== 'string' || token.length === 0 || typeof expiresIn !== 'number' || !(expiresIn > 0)) throw new AccessTokenUnavailableError('INVALID_RESPONSE');
    return { token, expiresInSeconds: expiresIn };
  }
}
