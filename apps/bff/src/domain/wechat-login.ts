/**
 * jscode2session as the domain sees it. The session_key is dropped inside the adapter: it never
 * reaches the domain, the database, a log or a response.
 */
export interface WeChatLogin {
  /** Throws DomainError LOGIN_CODE_INVALID / LOGIN_RATE_LIMITED / ProviderUnavailableError. */
  exchangeCode(code: string): Promise<{ openid: string }>;
}
