import { AccessTokenUnavailableError, type AccessTokenIssuer, type IssuedAccessToken } from '../domain/access-token/access-token-issuer';

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
    let body: unknown;
    try {
      const response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credential', appid: this.config.appId, secret: this.config.appSecret, force_refresh: options.forceRefresh }),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      if (!response.ok) throw new AccessTokenUnavailableError(`HTTP_${response.status}`);
      body = await response.json();
    } catch (error) {
      if (error instanceof AccessTokenUnavailableError) throw error;
      throw new AccessTokenUnavailableError(transportReason(error));
    }
    const { access_token: token, expires_in: expiresIn, errcode } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof errcode === 'number' && errcode !== 0) throw new AccessTokenUnavailableError(`STABLE_TOKEN_ERRCODE:${errcode}`);
    if (typeof token !== 'string' || token.length === 0 || typeof expiresIn !== 'number' || !(expiresIn > 0)) throw new AccessTokenUnavailableError('INVALID_RESPONSE');
    return { token, expiresInSeconds: expiresIn };
  }
}

/** A short code for a failed request: never the request (it holds the AppSecret). */
export function transportReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'TIMEOUT';
  if (error instanceof SyntaxError) return 'INVALID_RESPONSE';
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? `CONNECTION_ERROR:${code}` : 'CONNECTION_ERROR';
}
