/** `POST /cgi-bin/stable_token`: a token and its lifetime. */
export interface IssuedAccessToken {
  token: string;
  expiresInSeconds: number;
}

/**
 * Asks WeChat for the stable access_token. `forceRefresh` invalidates the current one at once
 * (limited by WeChat: 20 a day, 30 s apart): only after WeChat refused the stored token as invalid.
 * Throws AccessTokenUnavailableError; its message never holds the AppSecret or a token.
 */
export interface AccessTokenIssuer {
  issue(options: { forceRefresh: boolean }): Promise<IssuedAccessToken>;
}

export class AccessTokenUnavailableError extends Error {
  override name = 'AccessTokenUnavailableError';
  /** A short code for logs and outbox last_error: `STABLE_TOKEN_ERRCODE:40013`, `TIMEOUT`, `LEASE_WAIT_EXCEEDED`, … */
  constructor(readonly reason: string) {
    super(`the mini-program access_token is unavailable (${reason})`);
  }
}
