export interface UserRecord {
  id: string;
  openid: string;
}

export interface UserRepository {
  /** Returns the user for this openid, creating it with `newId` when absent. */
  upsertByOpenid(openid: string, newId: string, now: Date): Promise<UserRecord>;
  findById(id: string): Promise<UserRecord | null>;
}
