/**
 * jscode2session as the domain sees it. The session_key is dropped inside the adapter: it never
 * reaches the domain, the database, a log or a response.
 */
export interface WeChatLogin {
  /** Throws DomainError LOGIN_CODE_INVALID / LOGIN_RATE_LIMITED / ProviderUnavailableError. */
  exchangeCode(code: string): Promise<{ openid: string }>;
}

/**
 * Characters and length a wx.login code can have. Real codes are 32 characters of [0-9A-Za-z];
 * this accepts any RFC 3986 unreserved character up to the contract's 128, so only codes that
 * are certainly malformed are refused without asking WeChat (each call costs app-wide quota).
 */
const plausibleLoginCode = /^[A-Za-z0-9._~-]{1,128}$/;

export function isPlausibleLoginCode(code: string): boolean {
  return plausibleLoginCode.test(code);
}
