export interface UserRecord {
  id: string;
  openid: string;
  /** Bumped by logout / revocation: tokens carrying an older generation are refused. */
  sessionGeneration: number;
}

export interface UserRepository {
  /** Returns the user for this openid, creating it with `newId` when absent. */
  upsertByOpenid(openid: string, newId: string, now: Date): Promise<UserRecord>;
  findById(id: string): Promise<UserRecord | null>;
  /** The user's current session generation (one primary-key read), or null for an unknown user. */
  findSessionGeneration(id: string): Promise<number | null>;
  /** Increments the session generation (every token issued so far stops working); false for an unknown user. */
  revokeSessions(id: string): Promise<boolean>;
}
