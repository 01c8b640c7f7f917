export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

/** Signed, expiring session tokens that reference an internal user id (never openid or session_key). */
export interface SessionTokens {
  issue(userId: string, now: Date): IssuedSession;
  /** The user id, or null when the token is malformed, forged or expired. */
  verify(token: string, now: Date): string | null;
}
