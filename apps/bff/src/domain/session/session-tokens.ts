export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

/** What a verified token claims: whose session it is and the user's session generation when it was issued. */
export interface SessionClaims {
  userId: string;
  /** Matches `users.session_generation` until the user logs out or is revoked. */
  generation: number;
}

/** Signed, expiring session tokens that reference an internal user id (never openid or session_key). */
export interface SessionTokens {
  issue(userId: string, generation: number, now: Date): IssuedSession;
  /** The claims, or null when the token is malformed, forged or expired (revocation is checked against the database). */
  verify(token: string, now: Date): SessionClaims | null;
}
