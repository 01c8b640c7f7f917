/** A mini-program access_token as stored (the adapter seals it at rest). */
export interface StoredAccessToken {
  token: string;
  expiresAt: Date;
}

/**
 * The shared token of one appid, in the database so every BFF instance uses the same one, with a
 * refresh lease so only one instance asks WeChat for a new one at a time.
 */
export interface AccessTokenStore {
  read(appId: string): Promise<StoredAccessToken | null>;
  /** Takes the refresh lease when it is free, expired or already `holder`'s; false when another holds it. */
  acquireLease(appId: string, holder: string, now: Date, until: Date): Promise<boolean>;
  /** Stores a new token and frees the lease, only while `holder` holds it; false when the lease was lost. */
  saveAndRelease(appId: string, holder: string, token: StoredAccessToken, now: Date): Promise<boolean>;
  release(appId: string, holder: string): Promise<void>;
}
