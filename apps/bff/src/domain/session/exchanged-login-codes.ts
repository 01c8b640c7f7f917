/** Who a wx.login code logged in, as remembered for a repeat of the same code. */
export interface LoginIdentity {
  userId: string;
  /** The user's session generation at the exchange: a logout in between voids the repeat. */
  generation: number;
}

export type ExchangedCodeLookup =
  /** Not seen (or forgotten): ask WeChat. */
  | { kind: 'unknown' }
  /** Seen from this caller: the first exchange's outcome (pending, done, or LOGIN_CODE_INVALID). */
  | { kind: 'same-caller'; identity: Promise<LoginIdentity> }
  /** Seen from another caller: the code is spent, a repeat from elsewhere is refused. */
  | { kind: 'other-caller' };

/**
 * Short-lived memory of exchanged wx.login codes. A code is single-use at WeChat, so a client
 * retrying after a lost answer would otherwise get "code been used" for a call that cost quota.
 */
export interface ExchangedLoginCodes {
  lookup(code: string, caller: string, now: Date): ExchangedCodeLookup;
  /** Remembers an exchange in flight; a failure other than an invalid code is forgotten again. */
  remember(code: string, caller: string, identity: Promise<LoginIdentity>, now: Date): void;
}
